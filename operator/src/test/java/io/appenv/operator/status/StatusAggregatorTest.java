package io.appenv.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.Condition;
import io.appenv.operator.api.Phase;
import io.appenv.operator.events.Reason;
import io.appenv.operator.monitoring.PrometheusSelection;
import io.appenv.operator.observe.AddOnState;
import io.appenv.operator.observe.DatabaseState;
import io.appenv.operator.observe.RolloutState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private final StatusAggregator aggregator =
      new StatusAggregator(Clock.fixed(NOW, ZoneOffset.UTC));

  private static Observation rollout(RolloutState.Stage stage) {
    return Observations.rollout(stage);
  }

  private static String status(AppEnvironmentStatus status, String type) {
    return Conditions.find(status.getConditions(), type).map(Condition::getStatus).orElse(null);
  }

  @Test
  void availableRolloutIsReady() {
    AppEnvironmentStatus status = aggregator.aggregate(null, rollout(RolloutState.Stage.AVAILABLE));

    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status.getObservedGeneration()).isEqualTo(4L);
    assertThat(status(status, ConditionType.READY)).isEqualTo("True");
    assertThat(status(status, ConditionType.PROGRESSING)).isEqualTo("False");
    assertThat(status(status, ConditionType.DEGRADED)).isEqualTo("False");
  }

  @Test
  void progressingRolloutIsNotYetReady() {
    AppEnvironmentStatus status =
        aggregator.aggregate(null, rollout(RolloutState.Stage.PROGRESSING));

    assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
    assertThat(status(status, ConditionType.READY)).isEqualTo("False");
    assertThat(status(status, ConditionType.PROGRESSING)).isEqualTo("True");
  }

  @Test
  void failedRolloutIsDegraded() {
    AppEnvironmentStatus status = aggregator.aggregate(null, rollout(RolloutState.Stage.FAILED));

    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(status(status, ConditionType.DEGRADED)).isEqualTo("True");
  }

  @Test
  void invalidSpecIsDegradedWithEveryProblemInTheMessage() {
    Observation invalid = Observations.invalid(2, "first problem", "second problem");

    AppEnvironmentStatus status = aggregator.aggregate(null, invalid);

    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    Condition degraded =
        Conditions.find(status.getConditions(), ConditionType.DEGRADED).orElseThrow();
    assertThat(degraded.getReason()).isEqualTo(Reason.INVALID_SPEC.value());
    assertThat(degraded.getMessage()).contains("first problem").contains("second problem");
    assertThat(degraded.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void sameObservationTwiceGivesAnEqualStatusSoNothingIsPatched() {
    AppEnvironmentStatus first = aggregator.aggregate(null, rollout(RolloutState.Stage.AVAILABLE));
    StatusAggregator later =
        new StatusAggregator(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));

    assertThat(later.aggregate(first, rollout(RolloutState.Stage.AVAILABLE))).isEqualTo(first);
  }

  @Test
  void aServingEnvironmentWhoseDatabaseRestartsIsWrittenOnceNotOnEveryReconcile() {
    DatabaseState restarting =
        new DatabaseState(false, "17", "17", "shop-db-credentials", null, false);
    Observation observation = Observations.withDatabase(Observations.available(), restarting);
    AppEnvironmentStatus first = aggregator.aggregate(null, observation);
    StatusAggregator later = new StatusAggregator(Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC));

    AppEnvironmentStatus second = later.aggregate(first, observation);

    assertThat(status(second, ConditionType.READY)).isEqualTo("False");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aDatabaseIsReadyOnlyOnceTheRolesOfThisOperatorVersionAreApplied() {
    Observation applying =
        Observations.withDatabase(
            Observations.available(),
            new DatabaseState(true, "17", "17", "shop-db-credentials", "shop-db-roles-abc", false));
    Observation applied =
        Observations.withDatabase(
            Observations.available(),
            new DatabaseState(true, "17", "17", "shop-db-credentials", "shop-db-roles-abc", true));

    AppEnvironmentStatus before = aggregator.aggregate(null, applying);
    AppEnvironmentStatus after = aggregator.aggregate(before, applied);

    Condition database =
        Conditions.find(before.getConditions(), ConditionType.DATABASE_READY).orElseThrow();
    assertThat(database.getReason()).isEqualTo("ApplyingRoles");
    assertThat(database.getMessage()).contains("shop-db-roles-abc");
    assertThat(status(before, ConditionType.READY)).isEqualTo("False");
    assertThat(status(after, ConditionType.DATABASE_READY)).isEqualTo("True");
    assertThat(status(after, ConditionType.READY)).isEqualTo("True");
  }

  @Test
  void keepsFieldsItDoesNotOwn() {
    AppEnvironmentStatus previous = new AppEnvironmentStatus();
    previous.setRejectedImages(List.of("shop:2"));
    previous.setActiveColor("blue");

    AppEnvironmentStatus next =
        aggregator.aggregate(previous, rollout(RolloutState.Stage.AVAILABLE));

    assertThat(next.getRejectedImages()).containsExactly("shop:2");
    assertThat(next.getActiveColor()).isEqualTo("blue");
  }

  @Test
  void missingPrometheusOperatorIsReportedButDoesNotDegradeTheEnvironment() {
    Observation observation =
        Observations.withAddOns(
            Observations.available(), AddOnState.CRD_MISSING, AddOnState.CRD_MISSING, null);

    AppEnvironmentStatus status = aggregator.aggregate(null, observation);

    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    Condition monitoring =
        Conditions.find(status.getConditions(), ConditionType.MONITORING_INSTALLED).orElseThrow();
    assertThat(monitoring.getStatus()).isEqualTo("False");
    assertThat(monitoring.getReason()).isEqualTo("PrometheusOperatorNotInstalled");
    assertThat(status(status, ConditionType.DEGRADED)).isEqualTo("False");
  }

  @Test
  void installedMonitoringIsTrue() {
    Observation observation =
        Observations.withAddOns(
            Observations.available(), AddOnState.INSTALLED, AddOnState.INSTALLED, null);

    assertThat(status(aggregator.aggregate(null, observation), ConditionType.MONITORING_INSTALLED))
        .isEqualTo("True");
  }

  @Test
  void rulesNoPrometheusSelectsAreReportedFalseWithoutDegradingAndUnknownWhenItCannotBeKnown() {
    var notSelected =
        new PrometheusSelection.Result(
            PrometheusSelection.State.NOT_SELECTED,
            Reason.NOT_SELECTED_BY_ANY_PROMETHEUS,
            "No Prometheus loads ...");
    AppEnvironmentStatus status =
        aggregator.aggregate(
            null, Observations.withSelection(Observations.available(), notSelected));
    AppEnvironmentStatus unknown =
        aggregator.aggregate(
            status,
            Observations.withSelection(
                Observations.available(),
                PrometheusSelection.Result.unknown(Reason.PROMETHEUS_NOT_VISIBLE, "may not list")));
    AppEnvironmentStatus notAsked =
        aggregator.aggregate(status, Observations.withSelection(Observations.available(), null));

    Condition selected =
        Conditions.find(status.getConditions(), ConditionType.ALERTS_SELECTED).orElseThrow();
    assertThat(selected.getStatus()).isEqualTo("False");
    assertThat(selected.getReason()).isEqualTo("NotSelectedByAnyPrometheus");
    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status(unknown, ConditionType.ALERTS_SELECTED)).isEqualTo("Unknown");
    assertThat(Conditions.find(notAsked.getConditions(), ConditionType.ALERTS_SELECTED)).isEmpty();
  }

  @Test
  void missingVeleroIsReportedButDoesNotDegradeTheEnvironment() {
    Observation observation =
        Observations.withAddOns(
            Observations.available(),
            AddOnState.INSTALLED,
            AddOnState.INSTALLED,
            AddOnState.CRD_MISSING);

    AppEnvironmentStatus status = aggregator.aggregate(null, observation);

    Condition velero =
        Conditions.find(status.getConditions(), ConditionType.VELERO_SCHEDULE_INSTALLED)
            .orElseThrow();
    assertThat(velero.getStatus()).isEqualTo("False");
    assertThat(velero.getReason()).isEqualTo("VeleroNotInstalled");
    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void turningVeleroOffRemovesItsCondition() {
    AppEnvironmentStatus installed =
        aggregator.aggregate(
            null,
            Observations.withAddOns(
                Observations.available(),
                AddOnState.INSTALLED,
                AddOnState.INSTALLED,
                AddOnState.INSTALLED));
    assertThat(status(installed, ConditionType.VELERO_SCHEDULE_INSTALLED)).isEqualTo("True");

    AppEnvironmentStatus off =
        aggregator.aggregate(
            installed,
            Observations.withGeneration(
                Observations.withAddOns(
                    Observations.available(),
                    AddOnState.INSTALLED,
                    AddOnState.INSTALLED,
                    AddOnState.DISABLED),
                5));

    assertThat(Conditions.find(off.getConditions(), ConditionType.VELERO_SCHEDULE_INSTALLED))
        .isEmpty();
  }

  @Test
  void unexpectedErrorSetsDegradedWithTheRootCause() {
    AppEnvironmentStatus ready = aggregator.aggregate(null, rollout(RolloutState.Stage.AVAILABLE));

    AppEnvironmentStatus failed =
        aggregator.failed(
            ready, 4, new RuntimeException("wrapper", new IllegalStateException("quota exceeded")));

    assertThat(failed.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(
            Conditions.find(failed.getConditions(), ConditionType.DEGRADED)
                .orElseThrow()
                .getMessage())
        .contains("quota exceeded");
  }
}
