package io.appenv.operator.report;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** What the renderers write, as plain text in sections, so Markdown and HTML say the same thing. */
final class ReportFormat {
  /** A heading and a table; whenEmpty is said instead of a table without rows. */
  record Section(String heading, List<String> header, List<List<String>> rows, String whenEmpty) {}

  static final String NONE = "–";

  private ReportFormat() {}

  static String percent(Double ratio) {
    return ratio == null ? NONE : String.format(Locale.ROOT, "%.1f %%", ratio * 100);
  }

  /** Two units at most: "45s", "12m 5s", "3h 20m", "2d 4h". */
  static String duration(Duration d) {
    if (d == null) {
      return NONE;
    }
    long s = d.getSeconds();
    if (s < 10) {
      // A rollback takes about a second: whole seconds would show 0s.
      return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
    }
    if (s < 86400) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }
    return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + "h");
  }

  static String time(Instant t) {
    return t == null ? NONE : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String text(Object value) {
    return value == null ? NONE : value.toString();
  }

  static String title(ReleaseReport r) {
    return "Release report: " + r.namespace() + "/" + r.name() + " (" + r.environment() + ")";
  }

  static String period(ReleaseReport r) {
    return time(r.from())
        + " to "
        + time(r.to())
        + " ("
        + duration(Duration.between(r.from(), r.to()))
        + ")";
  }

  /**
   * Said when the bounded history starts inside the period (older releases are not in the report),
   * and where the error rates and latencies come from, or why there are none.
   */
  static String historyNote(ReleaseReport r) {
    String history =
        r.historyStart() == null || !r.historyStart().isAfter(r.from())
            ? null
            : "The release history in the status starts at "
                + time(r.historyStart())
                + " (it keeps the most recent releases only): releases before that are not counted.";
    if (r.performanceNote() == null) {
      return history;
    }
    return history == null ? r.performanceNote() : history + " " + r.performanceNote();
  }

  static String seconds(Double s) {
    return s == null ? NONE : String.format(Locale.ROOT, "%.3f s", s);
  }

  private static ReleasePerformance.Figures figures(
      ReleaseReport r, ReleaseReport.Release release) {
    return r.performance()
        .getOrDefault(release.revision(), new ReleasePerformance.Figures(null, null));
  }

  static List<Section> sections(ReleaseReport r) {
    ReleaseReport.Kpis k = r.kpis();
    return List.of(
        new Section(
            "KPIs",
            List.of("KPI", "value"),
            List.of(
                List.of("Releases started", String.valueOf(k.releases())),
                List.of("Releases ended (promoted or failed)", String.valueOf(k.ended())),
                List.of("Success rate (promoted / ended)", percent(k.successRate())),
                List.of(
                    "Change failure rate ((failed + rolled back) / ended)",
                    percent(k.changeFailureRate())),
                List.of("Median lead time (commit to promotion)", duration(k.medianLeadTime())),
                List.of(
                    "Median cycle time (release start to promotion)",
                    duration(k.medianCycleTime())),
                List.of(
                    "Median time to restore (alert to traffic back)",
                    duration(k.medianTimeToRestore()))),
            ""),
        new Section(
            "Releases",
            List.of(
                "revision",
                "image",
                "result",
                "started",
                "promoted",
                "lead time",
                "cycle time",
                "error rate",
                "p95 latency",
                "reason"),
            r.releases().stream()
                .map(
                    x ->
                        List.of(
                            String.valueOf(x.revision()),
                            text(x.image()),
                            text(x.result()),
                            time(x.startedAt()),
                            time(x.promotedAt()),
                            duration(x.leadTime()),
                            duration(x.cycleTime()),
                            percent(figures(r, x).errorRate()),
                            seconds(figures(r, x).p95Seconds()),
                            text(x.reason())))
                .toList(),
            "No release started in the period."),
        new Section(
            "Rollbacks",
            List.of("revision", "image", "rolled back", "trigger", "cause", "time to restore"),
            r.rollbacks().stream()
                .map(
                    x ->
                        List.of(
                            String.valueOf(x.revision()),
                            text(x.image()),
                            time(x.rolledBackAt()),
                            x.trigger(),
                            text(x.cause()),
                            duration(x.timeToRestore())))
                .toList(),
            "No rollback in the period."));
  }
}
