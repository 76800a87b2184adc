package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.Condition;
import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.events.Reason;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.status.Conditions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns condition changes into Events: a person reading `kubectl describe` sees each decision once.
 */
class StatusEvents {
  private final EventRecorder events;

  StatusEvents(EventRecorder events) {
    this.events = events;
  }

  void recordTransitions(
      AppEnvironment env, AppEnvironmentStatus previous, AppEnvironmentStatus next) {
    List<Condition> before = previous == null ? List.of() : previous.getConditions();
    Optional<Condition> degraded = Conditions.find(next.getConditions(), ConditionType.DEGRADED);
    degraded
        .filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .filter(c -> changed(before, c))
        .ifPresent(c -> events.warning(env, Reason.of(c.getReason()), c.getMessage()));
    // Ready is told when it turns True; what changes while it
    // stays True has its own Events (Promoted).
    Optional<Condition> ready = Conditions.find(next.getConditions(), ConditionType.READY);
    ready
        .filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .filter(c -> !Conditions.isTrue(before, ConditionType.READY))
        .ifPresent(c -> events.normal(env, Reason.of(c.getReason()), "Ready: " + c.getMessage()));
  }

  /** True when the condition's status, reason or message differs from the one before. */
  private static boolean changed(List<Condition> before, Condition now) {
    return Conditions.find(before, now.getType())
        .map(
            old ->
                !Objects.equals(old.getStatus(), now.getStatus())
                    || !Objects.equals(old.getReason(), now.getReason())
                    || !Objects.equals(old.getMessage(), now.getMessage()))
        .orElse(true);
  }
}
