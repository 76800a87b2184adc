package io.appenv.operator.status;

import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.BackupStatus;
import io.appenv.operator.api.Condition;
import io.appenv.operator.api.Phase;
import io.appenv.operator.events.Reason;
import io.appenv.operator.monitoring.PrometheusSelection;
import io.appenv.operator.observe.AddOnState;
import io.appenv.operator.observe.AddOns;
import io.appenv.operator.observe.BackupHealth;
import java.time.Clock;
import java.util.List;

/**
 * The only place conditions and phase change: previous status and an observation in, next status
 * out.
 */
public final class StatusAggregator {

  private final Clock clock;

  public StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  public AppEnvironmentStatus aggregate(AppEnvironmentStatus previous, Observation observation) {
    AppEnvironmentStatus next = decide(previous, observation);
    next.setConditions(
        Conditions.keepTransitionTimes(
            previous == null ? null : previous.getConditions(), next.getConditions()));
    return next;
  }

  /**
   * Each part of the observation in turn, later parts over earlier ones: the release (or the
   * rollout) first, then the add-ons, the database and the backups, which may make it Degraded.
   */
  private AppEnvironmentStatus decide(AppEnvironmentStatus previous, Observation observation) {
    AppEnvironmentStatus next = copy(previous);
    long generation = observation.generation();
    next.setObservedGeneration(generation);
    if (!observation.specValid()) {
      String message = "Invalid spec: " + String.join("; ", observation.specProblems());
      apply(
          next,
          generation,
          Verdict.of(
              Phase.Degraded,
              Conditions.of(ConditionType.READY, false, Reason.INVALID_SPEC, message),
              Conditions.of(
                  ConditionType.PROGRESSING,
                  false,
                  Reason.INVALID_SPEC,
                  "Waiting for a valid spec"),
              Conditions.of(ConditionType.DEGRADED, true, Reason.INVALID_SPEC, message)));
      return next;
    }
    if (observation.release() != null) {
      apply(next, generation, ReleaseConditions.of(observation.release()));
      observation.release().statusFields().writeTo(next);
    } else {
      apply(next, generation, RolloutConditions.of(observation.rollout()));
    }
    if (observation.addOns() != null) {
      applyAddOns(next, generation, observation.addOns());
    }
    if (observation.database() != null) {
      apply(next, generation, DatabaseConditions.of(observation.database(), next.getPhase()));
      next.setDatabase(DatabaseConditions.summary(observation.database()));
    } else {
      next.setDatabase(null);
    }
    applyBackup(next, observation);
    return next;
  }

  private void applyBackup(AppEnvironmentStatus next, Observation observation) {
    BackupHealth health = observation.backup();
    if (health == null) {
      next.setBackup(null);
      return;
    }
    BackupStatus summary = new BackupStatus();
    summary.setLastSuccessfulTime(
        health.lastSuccessfulTime() == null ? null : health.lastSuccessfulTime().toString());
    summary.setStale(health.stale());
    next.setBackup(summary);
    Condition healthy =
        Conditions.of(
            ConditionType.BACKUP_HEALTHY, !health.stale(), health.reason(), health.message());
    apply(
        next,
        observation.generation(),
        health.stale()
            ? Verdict.of(
                Phase.Degraded,
                healthy,
                Conditions.of(ConditionType.DEGRADED, true, health.reason(), health.message()))
            : Verdict.conditions(healthy));
  }

  private void applyAddOns(AppEnvironmentStatus next, long generation, AddOns addOns) {
    if (addOns.serviceMonitor() != null) {
      apply(next, generation, Verdict.conditions(monitoringCondition(addOns.serviceMonitor())));
    }
    if (addOns.alertRules() != null) {
      apply(next, generation, Verdict.conditions(alertsCondition(addOns.alertRules())));
    }
    if (addOns.selection() == null || addOns.alertRules() != AddOnState.INSTALLED) {
      next.setConditions(Conditions.remove(next.getConditions(), ConditionType.ALERTS_SELECTED));
    } else {
      apply(next, generation, Verdict.conditions(selectionCondition(addOns.selection())));
    }
    if (addOns.veleroSchedule() == null || addOns.veleroSchedule() == AddOnState.DISABLED) {
      // Most environments never use Velero: no condition rather than a permanent False.
      next.setConditions(
          Conditions.remove(next.getConditions(), ConditionType.VELERO_SCHEDULE_INSTALLED));
    } else {
      apply(next, generation, Verdict.conditions(veleroCondition(addOns.veleroSchedule())));
    }
  }

  private static Condition selectionCondition(PrometheusSelection.Result selection) {
    return switch (selection.state()) {
      case SELECTED ->
          Conditions.of(
              ConditionType.ALERTS_SELECTED, true, selection.reason(), selection.message());
      case NOT_SELECTED ->
          Conditions.of(
              ConditionType.ALERTS_SELECTED, false, selection.reason(), selection.message());
      case UNKNOWN ->
          Conditions.unknown(
              ConditionType.ALERTS_SELECTED, selection.reason(), selection.message());
    };
  }

  private static Condition veleroCondition(AddOnState state) {
    return state == AddOnState.INSTALLED
        ? Conditions.of(
            ConditionType.VELERO_SCHEDULE_INSTALLED,
            true,
            Reason.SCHEDULE_APPLIED,
            "Velero snapshots the environment on the backup schedule")
        : Conditions.of(
            ConditionType.VELERO_SCHEDULE_INSTALLED,
            false,
            Reason.VELERO_NOT_INSTALLED,
            "The cluster has no velero.io CRDs: install Velero for volume snapshots;"
                + " the logical backups run without it");
  }

  private static Condition alertsCondition(AddOnState state) {
    return switch (state) {
      case INSTALLED ->
          Conditions.of(
              ConditionType.ALERTS_INSTALLED,
              true,
              Reason.PROMETHEUS_RULE_APPLIED,
              "Prometheus evaluates the environment's alert rules");
      case DISABLED ->
          Conditions.of(
              ConditionType.ALERTS_INSTALLED,
              false,
              Reason.MONITORING_DISABLED,
              "spec.monitoring.enabled is false");
      case CRD_MISSING ->
          Conditions.of(
              ConditionType.ALERTS_INSTALLED,
              false,
              Reason.PROMETHEUS_OPERATOR_NOT_INSTALLED,
              "The cluster has no PrometheusRule CRD: no alert watches this environment, so no automatic rollback;"
                  + " everything else runs without it");
    };
  }

  private static Condition monitoringCondition(AddOnState state) {
    return switch (state) {
      case INSTALLED ->
          Conditions.of(
              ConditionType.MONITORING_INSTALLED,
              true,
              Reason.SERVICE_MONITOR_APPLIED,
              "Prometheus scrapes the app through its ServiceMonitor");
      case DISABLED ->
          Conditions.of(
              ConditionType.MONITORING_INSTALLED,
              false,
              Reason.MONITORING_DISABLED,
              "spec.monitoring.enabled is false");
      case CRD_MISSING ->
          Conditions.of(
              ConditionType.MONITORING_INSTALLED,
              false,
              Reason.PROMETHEUS_OPERATOR_NOT_INSTALLED,
              "The cluster has no monitoring.coreos.com CRDs: install the Prometheus Operator to scrape the app;"
                  + " everything else runs without it");
    };
  }

  /** Status after a reconcile failed unexpectedly; the framework retries with backoff. */
  public AppEnvironmentStatus failed(
      AppEnvironmentStatus previous, long generation, Exception error) {
    AppEnvironmentStatus next = copy(previous);
    String message = "Reconcile failed, retrying: " + rootMessage(error);
    apply(
        next,
        generation,
        Verdict.of(
            Phase.Degraded,
            Conditions.of(ConditionType.DEGRADED, true, Reason.RECONCILE_ERROR, message)));
    return next;
  }

  private void apply(AppEnvironmentStatus status, long generation, Verdict verdict) {
    List<Condition> conditions = status.getConditions();
    for (Condition update : verdict.conditions()) {
      conditions = Conditions.set(conditions, update, generation, clock.instant());
    }
    status.setConditions(conditions);
    if (verdict.phase() != null) {
      status.setPhase(verdict.phase());
    }
  }

  private static AppEnvironmentStatus copy(AppEnvironmentStatus previous) {
    AppEnvironmentStatus next = new AppEnvironmentStatus();
    if (previous == null) {
      return next;
    }
    next.setObservedGeneration(previous.getObservedGeneration());
    next.setPhase(previous.getPhase());
    next.setConditions(
        List.copyOf(previous.getConditions() == null ? List.of() : previous.getConditions()));
    next.setActiveColor(previous.getActiveColor());
    next.setActiveRelease(previous.getActiveRelease());
    next.setPreviousRelease(previous.getPreviousRelease());
    next.setRejectedImages(previous.getRejectedImages());
    next.setHistory(previous.getHistory());
    next.setDatabase(previous.getDatabase());
    next.setBackup(previous.getBackup());
    return next;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
