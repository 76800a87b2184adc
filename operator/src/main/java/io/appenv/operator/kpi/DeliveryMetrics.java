package io.appenv.operator.kpi;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.release.ReleaseResult;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The four DORA measures as Prometheus metrics, per environment:
 *
 * <ul>
 *   <li>deployment frequency: {@code appenv_deployments_total{result="succeeded"}};
 *   <li>change failure rate: failed deployments and {@code appenv_rollbacks_total} over all
 *       deployments;
 *   <li>lead time for changes ({@code appenv_lead_time_seconds}): commit time, when CI set it, else
 *       the release's start, to promotion; cycle time ({@code appenv_cycle_time_seconds}): start to
 *       promotion;
 *   <li>time to restore ({@code appenv_time_to_restore_seconds}): alert start to traffic back.
 * </ul>
 *
 * They are read from the release history in the status as stored, so a release counts once however
 * many reconciles see it, and only after its status was written. A restarted operator (or a new
 * leader) first learns the history it finds and counts only what happens after; Prometheus treats
 * that as a counter reset.
 */
public class DeliveryMetrics {
  private static final List<Duration> DELIVERY_BUCKETS =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(4),
          Duration.ofHours(8),
          Duration.ofDays(1),
          Duration.ofDays(2),
          Duration.ofDays(7),
          Duration.ofDays(30));
  private static final List<Duration> RESTORE_BUCKETS =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(15),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(4));

  private final MeterRegistry registry;

  /** Per environment, the {@link #stage} of each revision already counted. */
  private final Map<String, Map<Long, String>> seen = new ConcurrentHashMap<>();

  public DeliveryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts what changed in the stored release history since this environment was last observed. */
  public void observe(AppEnvironment env) {
    List<ReleaseRecord> history =
        env.getStatus() == null || env.getStatus().getHistory() == null
            ? List.of()
            : env.getStatus().getHistory();
    String key = env.getMetadata().getNamespace() + "/" + env.getMetadata().getName();
    Map<Long, String> known = seen.get(key);
    if (known == null) {
      Map<Long, String> first = new ConcurrentHashMap<>();
      history.forEach(r -> first.put(r.getRevision(), stage(r)));
      seen.put(key, first);
      return;
    }
    Tags tags = tags(env);
    for (ReleaseRecord record : history) {
      String stage = stage(record);
      String before = known.put(record.getRevision(), stage);
      if (stage.equals(before)) {
        continue;
      }
      switch (String.valueOf(record.getResult())) {
        case ReleaseResult.SUCCEEDED -> promoted(record, tags);
        case ReleaseResult.FAILED -> deployments(tags, "failed").increment();
        case ReleaseResult.ROLLED_BACK -> {
          boolean counted = before != null && before.startsWith(ReleaseResult.ROLLED_BACK);
          if (!counted && !ReleaseResult.SUCCEEDED.equals(before)) {
            promoted(
                record,
                tags); // only a promoted release can be rolled back; its promotion went unseen
          }
          rolledBack(record, tags, counted);
        }
        default -> {}
      }
    }
    known.keySet().retainAll(history.stream().map(ReleaseRecord::getRevision).toList());
  }

  /**
   * Forgets a deleted environment (its series stay until the process restarts, like any counter).
   */
  public void forget(AppEnvironment env) {
    seen.remove(env.getMetadata().getNamespace() + "/" + env.getMetadata().getName());
  }

  private void promoted(ReleaseRecord record, Tags tags) {
    deployments(tags, "succeeded").increment();
    ReleaseTimes times = ReleaseTimes.of(record);
    if (times.cycleTime() == null) {
      return;
    }
    String from = times.fromCommit() ? "commit" : "release_start";
    timer(
            "appenv.lead.time",
            "From the commit (CI's commit-timestamp annotation) or else the release's start, to"
                + " promotion",
            tags.and("from", from),
            DELIVERY_BUCKETS)
        .record(times.leadTime());
    timer(
            "appenv.cycle.time",
            "From the release's start (spec change observed) to promotion",
            tags,
            DELIVERY_BUCKETS)
        .record(times.cycleTime());
  }

  /**
   * A record's result, and for a rollback whether traffic is back yet: a cold rollback is counted
   * when decided and its time to restore once the previous release serves.
   */
  private static String stage(ReleaseRecord record) {
    String result = String.valueOf(record.getResult());
    boolean restored = record.getRolledBackAt() != null || record.getTimeToRestoreSeconds() != null;
    return ReleaseResult.ROLLED_BACK.equals(result) && restored ? result + "/restored" : result;
  }

  private void rolledBack(ReleaseRecord record, Tags tags, boolean alreadyCounted) {
    ReleaseTimes times = ReleaseTimes.of(record);
    if (!alreadyCounted) {
      Counter.builder("appenv.rollbacks")
          .description("Releases rolled back, by an alert or by hand")
          .tags(tags.and("trigger", times.rolledBackByAlert() ? "alert" : "manual"))
          .register(registry)
          .increment();
    }
    if (times.timeToRestore() != null) {
      timer(
              "appenv.time.to.restore",
              "From the start of the alert to traffic back on the previous release",
              tags,
              RESTORE_BUCKETS)
          .record(times.timeToRestore());
    }
  }

  private Counter deployments(Tags tags, String result) {
    return Counter.builder("appenv.deployments")
        .description("Releases that ended: promoted (succeeded) or failed")
        .tags(tags.and("result", result))
        .register(registry);
  }

  private Timer timer(String name, String description, Tags tags, List<Duration> buckets) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .serviceLevelObjectives(buckets.toArray(Duration[]::new))
        .register(registry);
  }

  private static Tags tags(AppEnvironment env) {
    return Tags.of(
        "appenv_namespace",
        env.getMetadata().getNamespace(),
        "appenv_name",
        env.getMetadata().getName(),
        "environment",
        EnvironmentDefaults.environment(env).name().toLowerCase(Locale.ROOT));
  }
}
