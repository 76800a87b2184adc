package io.appenv.operator.report;

import static io.appenv.operator.kpi.ReleaseTimes.time;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.kpi.ReleaseTimes;
import io.appenv.operator.release.ReleaseResult;
import io.appenv.operator.spec.EnvironmentDefaults;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The delivery KPIs and releases of one environment over a period, read from its status.history
 * alone: a pure function of the AppEnvironment, the period and the clock. The ratios mean what the
 * recording rules in deploy/monitoring/ mean: a rolled-back release was promoted first, so it
 * counts as promoted and as a failed change.
 *
 * @param from start of the period; a release belongs to it when it started in it, a rollback when
 *     it happened in it
 * @param historyStart when the oldest release the status still holds started (the history is
 *     bounded), or null
 */
public record ReleaseReport(
    String namespace,
    String name,
    String environment,
    Instant from,
    Instant to,
    Instant historyStart,
    Kpis kpis,
    List<Release> releases,
    List<Rollback> rollbacks,
    Map<Long, ReleasePerformance.Figures> performance,
    String performanceNote) {

  /**
   * The same report with each release's error rate and p95 from Prometheus (by revision), and a
   * note saying where they come from or why there are none.
   */
  public ReleaseReport withPerformance(Map<Long, ReleasePerformance.Figures> figures, String note) {
    return new ReleaseReport(
        namespace,
        name,
        environment,
        from,
        to,
        historyStart,
        kpis,
        releases,
        rollbacks,
        Map.copyOf(figures),
        note);
  }

  /** Ratios and medians are null when there is nothing to compute them from. */
  public record Kpis(
      int releases,
      int ended,
      int promoted,
      int failed,
      int rolledBack,
      Double successRate,
      Double changeFailureRate,
      Duration medianLeadTime,
      Duration medianCycleTime,
      Duration medianTimeToRestore) {}

  public record Release(
      long revision,
      String image,
      String result,
      Instant startedAt,
      Instant promotedAt,
      Duration leadTime,
      Duration cycleTime,
      String reason) {}

  /** trigger: "alert" or "manual"; cause: the record's reason, which names the alert. */
  public record Rollback(
      long revision,
      String image,
      Instant rolledBackAt,
      String trigger,
      String cause,
      Duration timeToRestore) {}

  private static final Set<String> PROMOTED =
      Set.of(ReleaseResult.SUCCEEDED, ReleaseResult.ROLLED_BACK);

  public static ReleaseReport of(AppEnvironment env, Duration period, Clock clock) {
    Instant to = clock.instant();
    Instant from = to.minus(period);
    List<ReleaseRecord> history =
        env.getStatus() == null || env.getStatus().getHistory() == null
            ? List.of()
            : env.getStatus().getHistory();
    Predicate<Instant> inPeriod = t -> t != null && !t.isBefore(from) && !t.isAfter(to);

    List<Release> releases =
        history.stream()
            .filter(r -> inPeriod.test(time(r.getStartedAt())))
            .map(ReleaseReport::release)
            .sorted(Comparator.comparingLong(Release::revision).reversed())
            .toList();
    List<Rollback> rollbacks =
        history.stream()
            .filter(r -> ReleaseResult.ROLLED_BACK.equals(r.getResult()))
            .map(ReleaseReport::rollback)
            .filter(r -> inPeriod.test(r.rolledBackAt()))
            .sorted(Comparator.comparing(Rollback::rolledBackAt).reversed())
            .toList();
    Instant historyStart =
        history.stream()
            .map(r -> time(r.getStartedAt()))
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse(null);

    return new ReleaseReport(
        env.getMetadata().getNamespace(),
        env.getMetadata().getName(),
        EnvironmentDefaults.environment(env).name().toLowerCase(Locale.ROOT),
        from,
        to,
        historyStart,
        kpis(releases, rollbacks),
        releases,
        rollbacks,
        Map.of(),
        null);
  }

  private static Kpis kpis(List<Release> releases, List<Rollback> rollbacks) {
    int promoted = count(releases, r -> PROMOTED.contains(r.result()));
    int failed = count(releases, r -> ReleaseResult.FAILED.equals(r.result()));
    int rolledBack = count(releases, r -> ReleaseResult.ROLLED_BACK.equals(r.result()));
    int ended = promoted + failed;
    return new Kpis(
        releases.size(),
        ended,
        promoted,
        failed,
        rolledBack,
        ratio(promoted, ended),
        ratio(failed + rolledBack, ended),
        median(releases.stream().map(Release::leadTime).toList()),
        median(releases.stream().map(Release::cycleTime).toList()),
        median(rollbacks.stream().map(Rollback::timeToRestore).toList()));
  }

  private static Release release(ReleaseRecord r) {
    ReleaseTimes times = ReleaseTimes.of(r);
    return new Release(
        revision(r),
        r.getImage(),
        r.getResult(),
        time(r.getStartedAt()),
        time(r.getPromotedAt()),
        times.leadTime(),
        times.cycleTime(),
        r.getReason());
  }

  private static Rollback rollback(ReleaseRecord r) {
    ReleaseTimes times = ReleaseTimes.of(r);
    Instant at = time(r.getRolledBackAt());
    return new Rollback(
        revision(r),
        r.getImage(),
        at != null ? at : time(r.getStartedAt()),
        times.rolledBackByAlert() ? "alert" : "manual",
        r.getReason(),
        times.timeToRestore());
  }

  private static long revision(ReleaseRecord r) {
    return Objects.requireNonNullElse(r.getRevision(), 0L);
  }

  private static int count(List<Release> releases, Predicate<Release> which) {
    return (int) releases.stream().filter(which).count();
  }

  private static Double ratio(int part, int whole) {
    return whole == 0 ? null : (double) part / whole;
  }

  /** The median of the known durations; the mean of the middle two for an even count. */
  static Duration median(List<Duration> durations) {
    List<Duration> known = durations.stream().filter(Objects::nonNull).sorted().toList();
    if (known.isEmpty()) {
      return null;
    }
    int middle = known.size() / 2;
    return known.size() % 2 == 1
        ? known.get(middle)
        : known.get(middle - 1).plus(known.get(middle)).dividedBy(2);
  }
}
