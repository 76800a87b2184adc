package io.appenv.operator.builders;

import io.appenv.operator.api.AlertsSpec;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.api.PresetAlert;
import io.appenv.operator.api.Severity;
import java.util.function.Function;

/**
 * The built-in alerts: which spec field tunes each, and its defaults per environment type. Prod is
 * the strictest (lower thresholds, shorter waits, critical severity, so rollbacks act); staging has
 * prod's thresholds but warns; dev tolerates more.
 */
public enum AlertPreset {
  ERROR_RATE(
      "AppErrorRateHigh",
      AlertsSpec::getErrorRate,
      new Settings("0.10", "5m", Severity.WARNING, true),
      new Settings("0.02", "2m", Severity.CRITICAL, true)),
  LATENCY_P95(
      "AppLatencyP95High",
      AlertsSpec::getLatencyP95,
      new Settings("1.0", "10m", Severity.WARNING, true),
      new Settings("0.5", "5m", Severity.CRITICAL, true)),
  POD_RESTARTS(
      "AppPodsRestarting",
      AlertsSpec::getPodRestarts,
      new Settings("5", "15m", Severity.WARNING, true),
      new Settings("3", "10m", Severity.CRITICAL, true)),
  REPLICAS_UNAVAILABLE(
      "AppReplicasUnavailable",
      AlertsSpec::getReplicasUnavailable,
      new Settings("0", "15m", Severity.INFO, false),
      new Settings("0", "10m", Severity.WARNING, false)),
  DATABASE_DOWN(
      "DatabaseDown",
      AlertsSpec::getDatabaseDown,
      new Settings("0", "5m", Severity.WARNING, false),
      new Settings("0", "2m", Severity.CRITICAL, false)),
  BACKUP_FAILING(
      "BackupFailing",
      AlertsSpec::getBackupFailing,
      new Settings("0", "0s", Severity.INFO, false),
      new Settings("0", "0s", Severity.WARNING, false));

  /** What a preset resolves to once the spec's values are laid over the defaults. */
  public record Settings(
      String threshold, String forDuration, Severity severity, boolean rollback) {}

  private final String alertName;
  private final Function<AlertsSpec, PresetAlert> specField;
  private final Settings relaxed;
  private final Settings strict;

  AlertPreset(
      String alertName,
      Function<AlertsSpec, PresetAlert> specField,
      Settings relaxed,
      Settings strict) {
    this.alertName = alertName;
    this.specField = specField;
    this.relaxed = relaxed;
    this.strict = strict;
  }

  public String alertName() {
    return alertName;
  }

  public Settings defaults(EnvironmentType type) {
    return switch (type) {
      case DEV -> relaxed;
      case PROD -> strict;
      case STAGING ->
          new Settings(
              strict.threshold(),
              strict.forDuration(),
              strict.severity() == Severity.CRITICAL ? Severity.WARNING : strict.severity(),
              strict.rollback());
    };
  }

  /** The spec's values over the defaults; null when the preset is turned off. */
  public Settings resolve(EnvironmentType type, AlertsSpec alerts) {
    Settings defaults = defaults(type);
    PresetAlert given = alerts == null ? null : specField.apply(alerts);
    if (given == null) {
      return defaults;
    }
    if (Boolean.FALSE.equals(given.getEnabled())) {
      return null;
    }
    return new Settings(
        given.getThreshold() != null ? given.getThreshold() : defaults.threshold(),
        given.getForDuration() != null ? given.getForDuration() : defaults.forDuration(),
        given.getSeverity() != null ? given.getSeverity() : defaults.severity(),
        given.getRollback() != null ? given.getRollback() : defaults.rollback());
  }
}
