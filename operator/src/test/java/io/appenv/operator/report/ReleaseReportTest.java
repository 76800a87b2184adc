package io.appenv.operator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.api.ReleaseRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report's numbers, from a release history written the way the operator writes it (newest
 * first).
 */
class ReleaseReportTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration WEEK = Duration.ofDays(7);

  /** A release started daysAgo, promoted after cycleMinutes (none when null). */
  static ReleaseRecord release(long revision, String result, double daysAgo, Integer cycleMinutes) {
    ReleaseRecord r = new ReleaseRecord();
    r.setRevision(revision);
    r.setImage("ghcr.io/appenv/telemetry:0." + revision + ".0");
    r.setResult(result);
    Instant started = NOW.minus(Duration.ofMinutes(Math.round(daysAgo * 24 * 60)));
    r.setStartedAt(started.toString());
    if (cycleMinutes != null) {
      r.setPromotedAt(started.plus(Duration.ofMinutes(cycleMinutes)).toString());
    }
    return r;
  }

  static ReleaseRecord rolledBackByAlert(ReleaseRecord r, String alert, double ttrSeconds) {
    r.setResult("RolledBack");
    r.setReason(
        "alert " + alert + " fired for revision " + r.getRevision() + " (" + r.getImage() + ")");
    r.setRolledBackAt(Instant.parse(r.getPromotedAt()).plus(Duration.ofMinutes(3)).toString());
    r.setTimeToRestoreSeconds(ttrSeconds);
    return r;
  }

  static AppEnvironment env(ReleaseRecord... newestFirst) {
    AppEnvironment env =
        TestEnvironments.rolling(
            "shop-prod", "shop", spec -> spec.setEnvironment(EnvironmentType.PROD));
    AppEnvironmentStatus status = new AppEnvironmentStatus();
    status.setHistory(new ArrayList<>(List.of(newestFirst)));
    env.setStatus(status);
    return env;
  }

  @Test
  void changeFailureRateCountsFailedAndRolledBackReleasesOverThoseThatEnded() {
    AppEnvironment env =
        env(
            release(5, "Progressing", 0.1, null),
            rolledBackByAlert(release(4, "Succeeded", 1, 10), "HighErrorRate", 40),
            release(3, "Failed", 2, null),
            release(2, "Superseded", 3, null),
            release(1, "Succeeded", 4, 20));

    ReleaseReport.Kpis kpis = ReleaseReport.of(env, WEEK, CLOCK).kpis();

    assertThat(kpis.releases()).isEqualTo(5);
    assertThat(kpis.ended()).isEqualTo(3);
    assertThat(kpis.promoted()).isEqualTo(2);
    assertThat(kpis.failed()).isEqualTo(1);
    assertThat(kpis.rolledBack()).isEqualTo(1);
    assertThat(kpis.successRate()).isEqualTo(2.0 / 3);
    assertThat(kpis.changeFailureRate()).isEqualTo(2.0 / 3);
  }

  @Test
  void mediansOfLeadCycleAndRestoreTimes() {
    ReleaseRecord committed = release(3, "Succeeded", 1, 30);
    committed.setCommitTime(NOW.minus(Duration.ofDays(2)).toString());
    AppEnvironment env =
        env(
            committed,
            rolledBackByAlert(release(2, "Succeeded", 2, 10), "HighErrorRate", 20),
            rolledBackByAlert(release(1, "Succeeded", 3, 5), "HighLatency", 60));

    ReleaseReport.Kpis kpis = ReleaseReport.of(env, WEEK, CLOCK).kpis();

    // Cycle times 5, 10, 30 minutes; lead time of revision 3
    // counts from its commit: a day and 30 minutes.
    assertThat(kpis.medianCycleTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(kpis.medianLeadTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(ReleaseReport.of(env, WEEK, CLOCK).releases().get(0).leadTime())
        .isEqualTo(Duration.ofDays(1).plusMinutes(30));
    // Two rollbacks: the median is the mean of 20 s and 60 s.
    assertThat(kpis.medianTimeToRestore()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void onlyReleasesThatStartedInThePeriodCount() {
    AppEnvironment env =
        env(
            release(3, "Succeeded", 2, 10),
            release(2, "Failed", 8, null),
            release(1, "Succeeded", 20, 10));

    ReleaseReport week = ReleaseReport.of(env, WEEK, CLOCK);
    ReleaseReport month = ReleaseReport.of(env, Duration.ofDays(30), CLOCK);

    assertThat(week.releases()).extracting(ReleaseReport.Release::revision).containsExactly(3L);
    assertThat(week.kpis().changeFailureRate()).isZero();
    assertThat(week.from()).isEqualTo(NOW.minus(WEEK));
    assertThat(week.to()).isEqualTo(NOW);
    assertThat(month.releases())
        .extracting(ReleaseReport.Release::revision)
        .containsExactly(3L, 2L, 1L);
    assertThat(month.kpis().changeFailureRate()).isEqualTo(1.0 / 3);
  }

  @Test
  void rollbacksAreListedWithTheAlertThatCausedThemOrAsManual() {
    ReleaseRecord manual = release(3, "RolledBack", 1, 10);
    manual.setReason("manual rollback of revision 3 (annotation platform.appenv.io/rollback)");
    manual.setRolledBackAt(NOW.minus(Duration.ofHours(2)).toString());
    AppEnvironment env =
        env(
            manual,
            rolledBackByAlert(release(2, "Succeeded", 2, 10), "HighErrorRate", 12.5),
            release(1, "Succeeded", 3, 10));

    List<ReleaseReport.Rollback> rollbacks = ReleaseReport.of(env, WEEK, CLOCK).rollbacks();

    assertThat(rollbacks).extracting(ReleaseReport.Rollback::revision).containsExactly(3L, 2L);
    assertThat(rollbacks.get(0).trigger()).isEqualTo("manual");
    assertThat(rollbacks.get(0).timeToRestore()).isNull();
    assertThat(rollbacks.get(1).trigger()).isEqualTo("alert");
    assertThat(rollbacks.get(1).cause()).contains("HighErrorRate");
    assertThat(rollbacks.get(1).timeToRestore()).isEqualTo(Duration.ofMillis(12_500));
  }

  @Test
  void anEnvironmentWithoutHistoryHasNoRatiosRatherThanZero() {
    AppEnvironment env = TestEnvironments.rolling("shop-dev", "shop");

    ReleaseReport report = ReleaseReport.of(env, WEEK, CLOCK);

    assertThat(report.kpis().releases()).isZero();
    assertThat(report.kpis().successRate()).isNull();
    assertThat(report.kpis().changeFailureRate()).isNull();
    assertThat(report.kpis().medianLeadTime()).isNull();
    assertThat(report.historyStart()).isNull();
    assertThat(MarkdownReport.render(report))
        .contains("| Change failure rate ((failed + rolled back) / ended) | – |")
        .contains("No release started in the period.")
        .contains("No rollback in the period.");
  }

  @Test
  void saysWhenTheBoundedHistoryStartsInsideThePeriod() {
    AppEnvironment env = env(release(1, "Succeeded", 3, 10));

    assertThat(MarkdownReport.render(ReleaseReport.of(env, WEEK, CLOCK)))
        .contains("history in the status starts at");
    assertThat(MarkdownReport.render(ReleaseReport.of(env, Duration.ofDays(2), CLOCK)))
        .doesNotContain("history");
  }

  @Test
  void markdownListsEachReleaseAndRollback() {
    AppEnvironment env =
        env(
            rolledBackByAlert(release(2, "Succeeded", 1, 12), "HighErrorRate", 40),
            release(1, "Succeeded", 2, 5));

    String md = MarkdownReport.render(ReleaseReport.of(env, WEEK, CLOCK));

    assertThat(md)
        .startsWith("# Release report: shop-prod/shop (prod)\n")
        .contains("| Change failure rate ((failed + rolled back) / ended) | 50.0 % |")
        .contains("| Median cycle time (release start to promotion) | 8m 30s |")
        .contains(
            "| 1 | ghcr.io/appenv/telemetry:0.1.0 | Succeeded | 2026-11-25T12:00:00Z | 2026-11-25T12:05:00Z |")
        .contains(
            "| 2 | ghcr.io/appenv/telemetry:0.2.0 | 2026-11-26T12:15:00Z | alert | alert HighErrorRate fired"
                + " for revision 2 (ghcr.io/appenv/telemetry:0.2.0) | 40s |");
  }

  @Test
  void valuesFromTheClusterAreEscapedInHtmlAndMarkdown() {
    ReleaseRecord record = rolledBackByAlert(release(1, "Succeeded", 1, 5), "X", 1);
    record.setReason("alert <script>alert('x')</script> & \"more\" | [link](http://evil)\nline");
    String attack = "<script>alert('x')</script>";

    ReleaseReport report = ReleaseReport.of(env(record), WEEK, CLOCK);
    String html = HtmlReport.render(report);
    String md = MarkdownReport.render(report);

    assertThat(html)
        .doesNotContain(attack)
        .contains(
            "alert &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot; | [link](http://evil)");
    assertThat(
            html.replaceAll(
                "</?(!DOCTYPE|html|head|meta|title|style|body|h1|h2|p|table|tr|th|td)\\b[^>]*>",
                ""))
        .doesNotContain("<")
        .doesNotContain(">");
    assertThat(md)
        .doesNotContain(attack)
        .doesNotContain("[link]")
        .contains(
            "alert \\<script\\>alert('x')\\</script\\> & \"more\" \\| \\[link\\](http://evil) line |");
  }

  @Test
  void durationsReadAsTwoUnitsAtMost() {
    assertThat(ReportFormat.duration(Duration.ofMillis(1140))).isEqualTo("1.1s");
    assertThat(ReportFormat.duration(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(ReportFormat.duration(Duration.ofSeconds(725))).isEqualTo("12m 5s");
    assertThat(ReportFormat.duration(Duration.ofMinutes(200))).isEqualTo("3h 20m");
    assertThat(ReportFormat.duration(Duration.ofHours(52).plusMinutes(7))).isEqualTo("2d 4h");
    assertThat(ReportFormat.duration(Duration.ofDays(1))).isEqualTo("1d");
  }
}
