package io.appenv.operator.release;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseRef;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.api.RollbackSpec;
import io.appenv.operator.api.Severity;
import io.appenv.operator.names.AlertLabels;
import io.appenv.operator.spec.Durations;
import io.appenv.operator.spec.EnvironmentDefaults;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a firing alert rolls back the active release: a pure function of the alert, the
 * environment (spec and status) and the time. Every "no" carries its reason.
 */
public final class RollbackDecider {
  private RollbackDecider() {}

  /**
   * @param originLabel the alert label that names the namespace of the rule it came from; only an
   *     alert from the environment's own namespace may roll it back. Empty turns the check off (one
   *     tenant only).
   */
  public static RollbackDecision decide(
      Alert alert, AppEnvironment env, Instant now, String originLabel) {
    if (!alert.firing()) {
      return RollbackDecision.ignore("alert is " + alert.status() + ", not firing");
    }
    if (!"true".equals(alert.label(AlertLabels.ROLLBACK))) {
      return RollbackDecision.ignore("alert is not labelled " + AlertLabels.ROLLBACK + "=\"true\"");
    }
    String target = alert.label(AlertLabels.NAMESPACE);
    if (!originLabel.isEmpty() && !java.util.Objects.equals(alert.label(originLabel), target)) {
      String origin = alert.label(originLabel);
      return RollbackDecision.ignore(
          "alert comes from "
              + (origin == null
                  ? "an unknown namespace (no label " + originLabel + ")"
                  : "namespace " + origin)
              + ", not from "
              + target
              + ": only the environment's own"
              + " namespace may roll it back");
    }
    if (env == null) {
      return RollbackDecision.ignore(
          "no AppEnvironment "
              + alert.label(AlertLabels.NAMESPACE)
              + "/"
              + alert.label(AlertLabels.NAME));
    }
    RollbackSpec rollback =
        Optional.ofNullable(EnvironmentDefaults.release(env).getRollback())
            .orElseGet(RollbackSpec::new);
    if (EnvironmentDefaults.strategy(env) != ReleaseStrategy.BlueGreen
        || Boolean.FALSE.equals(rollback.getOnAlerts())) {
      return RollbackDecision.ignore("rollback on alerts is off for this environment");
    }
    if (severity(alert).ordinal() < rollback.getMinSeverity().ordinal()) {
      return RollbackDecision.ignore(
          "severity " + alert.label("severity") + " is below " + rollback.getMinSeverity().label());
    }
    ReleaseRef active = env.getStatus() == null ? null : env.getStatus().getActiveRelease();
    ReleaseRef previous = env.getStatus() == null ? null : env.getStatus().getPreviousRelease();
    if (active == null || previous == null || active.getPromotedAt() == null) {
      return RollbackDecision.ignore("no previous good release to go back to");
    }
    Instant promotedAt = Instant.parse(active.getPromotedAt());
    if (alert.startsAt() != null && alert.startsAt().isBefore(promotedAt)) {
      return RollbackDecision.ignore(
          "alert started before revision " + active.getRevision() + " was promoted");
    }
    Duration window = Durations.parse(rollback.getVerificationWindow());
    if (now.isAfter(promotedAt.plus(window))) {
      return RollbackDecision.ignore(
          "revision "
              + active.getRevision()
              + " is past its verification window of "
              + rollback.getVerificationWindow());
    }
    long lastHour = rollbacksSince(env, now.minus(Duration.ofHours(1)));
    if (lastHour >= rollback.getMaxPerHour()) {
      return RollbackDecision.ignore(
          "rate limit: "
              + lastHour
              + " rollbacks in the last hour (maxPerHour "
              + rollback.getMaxPerHour()
              + ")");
    }
    return RollbackDecision.rollBack(
        "alert "
            + alert.name()
            + " fired for revision "
            + active.getRevision()
            + " ("
            + active.getImage()
            + ")");
  }

  private static Severity severity(Alert alert) {
    String label =
        Optional.ofNullable(alert.label("severity")).orElse("info").toUpperCase(Locale.ROOT);
    try {
      return Severity.valueOf(label);
    } catch (IllegalArgumentException unknown) {
      return Severity.INFO;
    }
  }

  private static long rollbacksSince(AppEnvironment env, Instant since) {
    if (env.getStatus() == null || env.getStatus().getHistory() == null) {
      return 0;
    }
    return env.getStatus().getHistory().stream()
        .map(ReleaseRecord::getRolledBackAt)
        .filter(at -> at != null && !Instant.parse(at).isBefore(since))
        .count();
  }
}
