package io.appenv.operator.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.api.ReleaseRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DeliveryMetrics metrics = new DeliveryMetrics(registry);

  private static ReleaseRecord record(long revision, String result) {
    ReleaseRecord record = new ReleaseRecord();
    record.setRevision(revision);
    record.setResult(result);
    record.setStartedAt("2026-11-27T10:00:00Z");
    return record;
  }

  private static AppEnvironment env(ReleaseRecord... newestFirst) {
    AppEnvironment env =
        TestEnvironments.rolling(
            "shop-prod", "shop", spec -> spec.setEnvironment(EnvironmentType.PROD));
    AppEnvironmentStatus status = new AppEnvironmentStatus();
    status.setHistory(new ArrayList<>(List.of(newestFirst)));
    env.setStatus(status);
    return env;
  }

  private double deployments(String result) {
    Counter counter =
        registry
            .find("appenv.deployments")
            .tag("result", result)
            .tag("appenv_name", "shop")
            .tag("environment", "prod")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void whatTheOperatorFindsAtStartIsNotCountedAgain() {
    metrics.observe(env(record(2, "Succeeded"), record(1, "Failed")));

    assertThat(deployments("succeeded")).isZero();
    assertThat(deployments("failed")).isZero();
  }

  @Test
  void aPromotionCountsOnceWithLeadTimeFromTheCommitAndCycleTimeFromTheStart() {
    metrics.observe(env(record(1, "Succeeded")));
    ReleaseRecord second = record(2, "Progressing");
    second.setCommitTime("2026-11-27T09:30:00Z");
    metrics.observe(env(second, record(1, "Succeeded")));
    second.setResult("Succeeded");
    second.setPromotedAt("2026-11-27T10:05:00Z");

    metrics.observe(env(second, record(1, "Succeeded")));
    metrics.observe(env(second, record(1, "Succeeded")));

    assertThat(deployments("succeeded")).isEqualTo(1);
    Timer lead = registry.find("appenv.lead.time").tag("from", "commit").timer();
    assertThat(lead.count()).isEqualTo(1);
    assertThat(lead.totalTime(TimeUnit.MINUTES)).isEqualTo(35);
    assertThat(registry.find("appenv.cycle.time").timer().totalTime(TimeUnit.MINUTES)).isEqualTo(5);
  }

  @Test
  void withoutACommitTimeLeadTimeCountsFromTheReleasesStart() {
    metrics.observe(env());
    ReleaseRecord first = record(1, "Succeeded");
    first.setPromotedAt("2026-11-27T10:02:00Z");

    metrics.observe(env(first));

    Timer lead = registry.find("appenv.lead.time").tag("from", "release_start").timer();
    assertThat(lead.totalTime(TimeUnit.MINUTES)).isEqualTo(2);
  }

  @Test
  void failuresAndRollbacksMakeTheChangeFailureRate() {
    ReleaseRecord promoted = record(1, "Succeeded");
    promoted.setPromotedAt("2026-11-27T10:02:00Z");
    metrics.observe(env(promoted));
    ReleaseRecord bad = record(2, "Succeeded");
    bad.setPromotedAt("2026-11-27T10:10:00Z");
    metrics.observe(env(bad, promoted));
    bad.setResult("RolledBack");
    bad.setTimeToRestoreSeconds(42.5);
    metrics.observe(env(bad, promoted));
    metrics.observe(env(record(3, "Failed"), bad, promoted));

    assertThat(deployments("succeeded")).isEqualTo(1);
    assertThat(deployments("failed")).isEqualTo(1);
    assertThat(registry.find("appenv.rollbacks").tag("trigger", "alert").counter().count())
        .isEqualTo(1);
    Timer restore = registry.find("appenv.time.to.restore").timer();
    assertThat(restore.count()).isEqualTo(1);
    assertThat(restore.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(42500);
  }

  @Test
  void aRollbackWhosePromotionWentUnseenCountsThePromotionToo() {
    metrics.observe(env(record(1, "Succeeded")));
    ReleaseRecord bad = record(2, "RolledBack");
    bad.setPromotedAt("2026-11-27T10:03:00Z");
    bad.setTimeToRestoreSeconds(3.0);

    metrics.observe(env(bad, record(1, "Succeeded")));

    assertThat(deployments("succeeded"))
        .as("so the change failure rate stays a share")
        .isEqualTo(1);
    assertThat(registry.find("appenv.rollbacks").counter().count()).isEqualTo(1);
  }

  @Test
  void aColdRollbackCountsWhenDecidedAndItsTimeToRestoreWhenTrafficIsBack() {
    ReleaseRecord active = record(2, "Succeeded");
    metrics.observe(env(active, record(1, "Succeeded")));
    active.setResult("RolledBack");
    active.setAlertStartedAt("2026-11-27T10:20:00Z");

    metrics.observe(env(active, record(1, "Succeeded")));
    Counter rollbacks = registry.find("appenv.rollbacks").tag("trigger", "alert").counter();
    assertThat(rollbacks.count()).isEqualTo(1);
    assertThat(registry.find("appenv.time.to.restore").timer())
        .as("the previous release is still starting")
        .isNull();

    active.setRolledBackAt("2026-11-27T10:20:17Z");
    active.setTimeToRestoreSeconds(17.0);
    metrics.observe(env(active, record(1, "Succeeded")));
    metrics.observe(env(active, record(1, "Succeeded")));

    assertThat(rollbacks.count()).as("one rollback").isEqualTo(1);
    Timer restore = registry.find("appenv.time.to.restore").timer();
    assertThat(restore.count()).isEqualTo(1);
    assertThat(restore.totalTime(TimeUnit.SECONDS)).isEqualTo(17);
  }

  @Test
  void aManualRollbackCountsWithoutATimeToRestore() {
    ReleaseRecord active = record(2, "Succeeded");
    metrics.observe(env(active, record(1, "Succeeded")));
    active.setResult("RolledBack");

    metrics.observe(env(active, record(1, "Succeeded")));

    assertThat(registry.find("appenv.rollbacks").tag("trigger", "manual").counter().count())
        .isEqualTo(1);
    assertThat(registry.find("appenv.time.to.restore").timer()).isNull();
  }
}
