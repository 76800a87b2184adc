package io.appenv.operator.report;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.builders.AppServiceMonitorBuilder;
import io.appenv.operator.names.Names;
import io.appenv.operator.release.ReleaseResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How each release performed in production, from Prometheus: the share of its API answers that were
 * 5xx and its p95 latency, over the time it served traffic (from its promotion until the next
 * promotion, its rollback, or now), on the series of its colour (the ServiceMonitor copies the
 * pod's colour onto them). The windows and the PromQL are pure; {@link #read} asks a {@link
 * Reader}.
 */
public final class ReleasePerformance {
  private static final String HTTP = "http_server_requests_seconds";

  private ReleasePerformance() {}

  /** One release's figures; null where Prometheus has no series for its window. */
  public record Figures(Double errorRate, Double p95Seconds) {}

  /** A release's time with traffic, on one colour. */
  public record Window(long revision, String color, Instant from, Instant to) {}

  /**
   * Answers an instant query with the single value of its result, or empty; throws when it cannot
   * ask.
   */
  public interface Reader {
    Optional<Double> query(String promql, Instant at) throws Exception;
  }

  /**
   * The releases that served traffic, each until the next was promoted, it was rolled back, or
   * {@code now}.
   */
  public static List<Window> windows(AppEnvironment env, Instant now) {
    List<ReleaseRecord> promoted =
        Optional.ofNullable(env.getStatus()).map(s -> s.getHistory()).orElse(List.of()).stream()
            .filter(
                r -> r.getPromotedAt() != null && r.getColor() != null && r.getRevision() != null)
            .sorted(Comparator.comparing(r -> Instant.parse(r.getPromotedAt())))
            .toList();
    List<Window> windows = new java.util.ArrayList<>();
    for (int i = 0; i < promoted.size(); i++) {
      ReleaseRecord r = promoted.get(i);
      Instant from = Instant.parse(r.getPromotedAt());
      Instant to =
          i + 1 < promoted.size() ? Instant.parse(promoted.get(i + 1).getPromotedAt()) : now;
      if (ReleaseResult.ROLLED_BACK.equals(r.getResult()) && r.getRolledBackAt() != null) {
        to = min(to, Instant.parse(r.getRolledBackAt()));
      }
      if (to.isAfter(from)) {
        windows.add(new Window(r.getRevision(), r.getColor(), from, to));
      }
    }
    return windows;
  }

  /**
   * Share of 5xx among the API answers (health checks and metrics aside) of one colour over the
   * window.
   */
  public static String errorRateQuery(AppEnvironment env, Window w) {
    String selector = selector(env, w);
    return "sum(increase("
        + HTTP
        + "_count{"
        + selector
        + ",status=~\"5..\"}["
        + range(w)
        + "]))"
        + " / sum(increase("
        + HTTP
        + "_count{"
        + selector
        + "}["
        + range(w)
        + "]))";
  }

  public static String p95Query(AppEnvironment env, Window w) {
    return "histogram_quantile(0.95, sum by (le) (increase("
        + HTTP
        + "_bucket{"
        + selector(env, w)
        + "}["
        + range(w)
        + "])))";
  }

  /** Each window's figures, newest release first. */
  public static Map<Long, Figures> read(AppEnvironment env, Instant now, Reader prometheus)
      throws Exception {
    Map<Long, Figures> figures = new LinkedHashMap<>();
    List<Window> windows = windows(env, now);
    for (int i = windows.size() - 1; i >= 0; i--) {
      Window w = windows.get(i);
      figures.put(
          w.revision(),
          new Figures(
              prometheus.query(errorRateQuery(env, w), w.to()).orElse(null),
              prometheus.query(p95Query(env, w), w.to()).orElse(null)));
    }
    return figures;
  }

  private static String selector(AppEnvironment env, Window w) {
    return "namespace=\""
        + env.getMetadata().getNamespace()
        + "\",service=\""
        + Names.app(env)
        + "\","
        + AppServiceMonitorBuilder.COLOR_LABEL
        + "=\""
        + w.color()
        + "\",uri!~\"/actuator.*\"";
  }

  /** The window in whole seconds (at least one), as a PromQL range. */
  private static String range(Window w) {
    return Math.max(1, Duration.between(w.from(), w.to()).toSeconds()) + "s";
  }

  private static Instant min(Instant a, Instant b) {
    return Objects.requireNonNull(a).isBefore(b) ? a : b;
  }
}
