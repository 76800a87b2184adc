package io.appenv.operator.status;

import io.appenv.operator.api.Condition;
import io.appenv.operator.api.Phase;
import io.appenv.operator.events.Reason;
import io.appenv.operator.release.ReleasePlan;

/** The conditions a blue/green release plan stands for. */
final class ReleaseConditions {
  private ReleaseConditions() {}

  static Verdict of(ReleasePlan plan) {
    boolean serving = plan.statusFields().activeColor() != null;
    String message = plan.message();
    Condition ready =
        serving
            ? Conditions.of(ConditionType.READY, true, Reason.RELEASE_ACTIVE, activeMessage(plan))
            : Conditions.of(ConditionType.READY, false, Reason.FIRST_RELEASE_STARTING, message);
    return switch (plan.stage()) {
      case STEADY ->
          Verdict.of(
              Phase.Ready,
              Conditions.of(ConditionType.READY, true, Reason.RELEASE_ACTIVE, message),
              Conditions.of(ConditionType.PROGRESSING, false, Reason.RELEASE_COMPLETE, message),
              Conditions.of(
                  ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "All components healthy"));
      case PROGRESSING ->
          Verdict.of(
              Phase.Progressing,
              ready,
              Conditions.of(ConditionType.PROGRESSING, true, Reason.RELEASE_STARTING, message),
              Conditions.of(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "No problem found"));
      case CANNOT_START ->
          Verdict.of(
              Phase.Progressing,
              serving
                  ? ready
                  : Conditions.of(ConditionType.READY, false, Reason.RELEASE_CANNOT_START, message),
              Conditions.of(ConditionType.PROGRESSING, true, Reason.RELEASE_CANNOT_START, message),
              Conditions.of(ConditionType.DEGRADED, true, Reason.RELEASE_CANNOT_START, message));
      case AWAITING_PROMOTION ->
          Verdict.of(
              Phase.Progressing,
              ready,
              Conditions.of(ConditionType.PROGRESSING, true, Reason.AWAITING_PROMOTION, message),
              Conditions.of(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "No problem found"));
      case FAILED ->
          Verdict.of(
              Phase.Degraded,
              ready,
              Conditions.of(ConditionType.PROGRESSING, false, Reason.RELEASE_FAILED, message),
              Conditions.of(ConditionType.DEGRADED, true, Reason.RELEASE_FAILED, message));
      case ROLLED_BACK ->
          Verdict.of(
              Phase.RolledBack,
              ready,
              Conditions.of(ConditionType.PROGRESSING, false, Reason.ROLLED_BACK, message),
              Conditions.of(ConditionType.DEGRADED, true, Reason.ROLLED_BACK, message));
      case WAITING_FOR_DATABASE ->
          Verdict.of(
              Phase.Progressing,
              serving
                  ? ready
                  : Conditions.of(ConditionType.READY, false, Reason.DATABASE_NOT_READY, message),
              Conditions.of(ConditionType.PROGRESSING, true, Reason.WAITING_FOR_DATABASE, message),
              Conditions.of(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "No problem found"));
    };
  }

  private static String activeMessage(ReleasePlan plan) {
    var active = plan.statusFields().activeRelease();
    return "Revision "
        + active.getRevision()
        + " ("
        + active.getImage()
        + ") serves on "
        + active.getColor();
  }
}
