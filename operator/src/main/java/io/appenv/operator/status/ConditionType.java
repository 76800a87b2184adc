package io.appenv.operator.status;

/** Condition types of an AppEnvironment's status. */
public final class ConditionType {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String MONITORING_INSTALLED = "MonitoringInstalled";
  public static final String ALERTS_INSTALLED = "AlertsInstalled";

  /**
   * A Prometheus selects the environment's PrometheusRule and ServiceMonitor (only where that can
   * be asked).
   */
  public static final String ALERTS_SELECTED = "AlertsSelected";

  public static final String DATABASE_READY = "DatabaseReady";
  public static final String BACKUP_HEALTHY = "BackupHealthy";
  public static final String VELERO_SCHEDULE_INSTALLED = "VeleroScheduleInstalled";

  private ConditionType() {}
}
