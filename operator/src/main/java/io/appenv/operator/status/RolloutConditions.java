package io.appenv.operator.status;

import io.appenv.operator.api.Phase;
import io.appenv.operator.events.Reason;
import io.appenv.operator.observe.RolloutState;

/** The conditions the Rolling strategy's Deployment stands for. */
final class RolloutConditions {
  private RolloutConditions() {}

  static Verdict of(RolloutState rollout) {
    String message = rollout.message();
    return switch (rollout.stage()) {
      case AVAILABLE ->
          Verdict.of(
              Phase.Ready,
              Conditions.of(ConditionType.READY, true, Reason.RELEASE_ACTIVE, message),
              Conditions.of(ConditionType.PROGRESSING, false, Reason.ROLLOUT_COMPLETE, message),
              Conditions.of(
                  ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "All components healthy"));
      case FAILED ->
          Verdict.of(
              Phase.Degraded,
              Conditions.of(ConditionType.READY, false, Reason.PROGRESS_DEADLINE_EXCEEDED, message),
              Conditions.of(
                  ConditionType.PROGRESSING, false, Reason.PROGRESS_DEADLINE_EXCEEDED, message),
              Conditions.of(
                  ConditionType.DEGRADED, true, Reason.PROGRESS_DEADLINE_EXCEEDED, message));
      case PROGRESSING ->
          Verdict.of(
              Phase.Progressing,
              Conditions.of(ConditionType.READY, false, Reason.ROLLOUT_IN_PROGRESS, message),
              Conditions.of(ConditionType.PROGRESSING, true, Reason.ROLLOUT_IN_PROGRESS, message),
              Conditions.of(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "No problem found"));
      case MISSING ->
          Verdict.of(
              Phase.Pending,
              Conditions.of(ConditionType.READY, false, Reason.CREATING, message),
              Conditions.of(ConditionType.PROGRESSING, true, Reason.CREATING, message),
              Conditions.of(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "No problem found"));
    };
  }
}
