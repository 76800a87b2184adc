package io.appenv.operator.events;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every reason appenv gives, in its conditions and in its Events alike: one vocabulary, so that
 * {@code kubectl get events} and {@code kubectl get appenv -o yaml} use the same words, and a
 * reason cannot drift apart between the places that give it.
 */
public enum Reason {
  /** Degraded is False: nothing is wrong. */
  AS_EXPECTED("AsExpected"),

  /** The Rolling strategy's Deployment is being created. */
  CREATING("Creating"),

  /** The Rolling strategy's Deployment rolls out. */
  ROLLOUT_IN_PROGRESS("RolloutInProgress"),

  /** The Rolling strategy's Deployment has rolled out. */
  ROLLOUT_COMPLETE("RolloutComplete"),

  /** The Rolling strategy's Deployment missed its progress deadline. */
  PROGRESS_DEADLINE_EXCEEDED("ProgressDeadlineExceeded"),

  /** The first release is starting: nothing serves yet. */
  FIRST_RELEASE_STARTING("FirstReleaseStarting"),

  /** A release is starting on the idle colour. */
  RELEASE_STARTING("ReleaseStarting"),

  /** A release's pods cannot start, for a reason someone has to fix. */
  RELEASE_CANNOT_START("ReleaseCannotStart"),

  /** A release is available and waits for a manual promotion. */
  AWAITING_PROMOTION("AwaitingPromotion"),

  /** A release took the traffic. */
  PROMOTED("Promoted"),

  /** A release serves. */
  RELEASE_ACTIVE("ReleaseActive"),

  /** No release is in progress. */
  RELEASE_COMPLETE("ReleaseComplete"),

  /** A release was not available within its progress deadline. */
  RELEASE_FAILED("ReleaseFailed"),

  /** Traffic went back to the previous release. */
  ROLLED_BACK("RolledBack"),

  /** CI's commit-timestamp annotation is not an RFC 3339 time. */
  INVALID_COMMIT_TIMESTAMP("InvalidCommitTimestamp"),

  /** A release waits for its database to accept connections. */
  WAITING_FOR_DATABASE("WaitingForDatabase"),

  /** The database does not accept connections yet. */
  DATABASE_NOT_READY("DatabaseNotReady"),

  /** The database is starting. */
  STARTING("Starting"),

  /** The roles Job applies this operator version's roles and grants. */
  APPLYING_ROLES("ApplyingRoles"),

  /** The database accepts connections with the roles this operator version gives. */
  READY("Ready"),

  /** The spec asks for another major version of PostgreSQL. */
  MAJOR_VERSION_CHANGE_REFUSED("MajorVersionChangeRefused"),

  /** No backup has succeeded although the schedule ran. */
  NO_BACKUP_YET("NoBackupYet"),

  /** The first backup is not due yet. */
  FIRST_BACKUP_PENDING("FirstBackupPending"),

  /** The last successful backup is older than the schedule allows. */
  BACKUP_STALE("BackupStale"),

  /** The last backup succeeded in time. */
  BACKUP_SUCCEEDED("BackupSucceeded"),

  /** Prometheus scrapes the app through its ServiceMonitor. */
  SERVICE_MONITOR_APPLIED("ServiceMonitorApplied"),

  /** The environment's PrometheusRule is applied. */
  PROMETHEUS_RULE_APPLIED("PrometheusRuleApplied"),

  /** spec.monitoring.enabled is false. */
  MONITORING_DISABLED("MonitoringDisabled"),

  /** The cluster has no Prometheus Operator CRDs. */
  PROMETHEUS_OPERATOR_NOT_INSTALLED("PrometheusOperatorNotInstalled"),

  /** A Prometheus loads the rules and scrapes the app. */
  SELECTED_BY_PROMETHEUS("SelectedByPrometheus"),

  /** No Prometheus loads the rules and scrapes the app. */
  NOT_SELECTED_BY_ANY_PROMETHEUS("NotSelectedByAnyPrometheus"),

  /** The cluster has no Prometheus object the operator may list. */
  NO_PROMETHEUS_FOUND("NoPrometheusFound"),

  /** The operator may not read what a Prometheus selects by. */
  PROMETHEUS_NOT_VISIBLE("PrometheusNotVisible"),

  /** Velero snapshots the environment on the backup schedule. */
  SCHEDULE_APPLIED("ScheduleApplied"),

  /** The cluster has no Velero CRDs. */
  VELERO_NOT_INSTALLED("VeleroNotInstalled"),

  /** The spec cannot be applied: the message names the field. */
  INVALID_SPEC("InvalidSpec"),

  /** A reconcile failed unexpectedly and is retried. */
  RECONCILE_ERROR("ReconcileError"),

  /** The operator created objects of the environment. */
  CREATED("Created"),

  /** The operator changed objects of the environment back to the spec. */
  UPDATED("Updated");

  private static final Map<String, Reason> BY_VALUE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(r -> r.value, Function.identity()));

  private final String value;

  Reason(String value) {
    this.value = value;
  }

  /** The reason as Kubernetes shows it (CamelCase). */
  public String value() {
    return value;
  }

  /** The reason a condition carries, which appenv gave it. */
  public static Reason of(String value) {
    Reason reason = BY_VALUE.get(value);
    if (reason == null) {
      throw new IllegalArgumentException("not a reason appenv gives: " + value);
    }
    return reason;
  }

  @Override
  public String toString() {
    return value;
  }
}
