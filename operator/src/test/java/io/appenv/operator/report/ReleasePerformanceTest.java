package io.appenv.operator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which time of traffic each release is judged on, the PromQL that asks for it, and how the report
 * shows it.
 */
class ReleasePerformanceTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  private static ReleaseRecord promoted(
      long revision, String color, String result, double hoursAgo) {
    ReleaseRecord r = ReleaseReportTest.release(revision, result, hoursAgo / 24, 5);
    r.setColor(color);
    r.setPromotedAt(NOW.minus(Duration.ofMinutes((long) (hoursAgo * 60))).toString());
    return r;
  }

  /** v1 blue, then v2 green rolled back after 10 minutes, then v3 green. */
  private static AppEnvironment history() {
    ReleaseRecord v2 = promoted(2, "green", "RolledBack", 5);
    v2.setRolledBackAt(NOW.minus(Duration.ofMinutes(290)).toString());
    return ReleaseReportTest.env(
        promoted(3, "green", "Succeeded", 2), v2, promoted(1, "blue", "Succeeded", 48));
  }

  @Test
  void eachReleaseIsJudgedFromItsPromotionUntilTheNextOrItsRollback() {
    List<ReleasePerformance.Window> windows = ReleasePerformance.windows(history(), NOW);

    assertThat(windows).extracting(ReleasePerformance.Window::revision).containsExactly(1L, 2L, 3L);
    assertThat(Duration.between(windows.get(1).from(), windows.get(1).to()))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(windows.get(0).to()).isEqualTo(windows.get(1).from());
    assertThat(windows.get(2).to()).isEqualTo(NOW);
  }

  @Test
  void theQueriesSelectTheReleasesColourAndLeaveHealthChecksOut() {
    ReleasePerformance.Window v2 = ReleasePerformance.windows(history(), NOW).get(1);

    assertThat(ReleasePerformance.errorRateQuery(history(), v2))
        .isEqualTo(
            "sum(increase(http_server_requests_seconds_count{namespace=\"shop-prod\",service=\"shop\","
                + "platform_appenv_io_color=\"green\",uri!~\"/actuator.*\",status=~\"5..\"}[600s]))"
                + " / sum(increase(http_server_requests_seconds_count{namespace=\"shop-prod\",service=\"shop\","
                + "platform_appenv_io_color=\"green\",uri!~\"/actuator.*\"}[600s]))");
    assertThat(ReleasePerformance.p95Query(history(), v2))
        .startsWith("histogram_quantile(0.95, sum by (le) (increase(")
        .contains("[600s]");
  }

  @Test
  void theReportShowsEachReleasesErrorRateAndP95AtTheEndOfItsWindow() throws Exception {
    List<Instant> askedAt = new ArrayList<>();
    ReleasePerformance.Reader prometheus =
        (promql, at) -> {
          askedAt.add(at);
          return promql.contains("color=\"green\"") && promql.startsWith("sum")
              ? Optional.of(0.25)
              : Optional.of(0.123);
        };

    var figures = ReleasePerformance.read(history(), NOW, prometheus);
    String md =
        MarkdownReport.render(
            ReleaseReport.of(history(), Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC))
                .withPerformance(figures, "from Prometheus"));

    assertThat(figures.get(2L)).isEqualTo(new ReleasePerformance.Figures(0.25, 0.123));
    assertThat(askedAt).contains(NOW.minus(Duration.ofMinutes(290)));
    assertThat(md)
        .contains("| error rate | p95 latency |")
        .contains("25.0 %")
        .contains("0.123 s")
        .contains("from Prometheus");
  }
}
