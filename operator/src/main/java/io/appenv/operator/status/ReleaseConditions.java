package io.appenv.operator.status;

import io.appenv.operator.api.Condition;
import io.appenv.operator.api.Phase;
import io.appenv.operator.release.ReleasePlan;
import java.util.function.BiConsumer;

/** The conditions a blue/green release plan stands for. */
final class ReleaseConditions {
  private ReleaseConditions() {}

  static void apply(ReleasePlan plan, BiConsumer<Phase, Condition[]> sink) {
    boolean serving = plan.statusFields().activeColor() != null;
    String message = plan.message();
    Condition ready =
        serving
            ? Conditions.of(ConditionType.READY, true, "ReleaseActive", activeMessage(plan))
            : Conditions.of(ConditionType.READY, false, "FirstReleaseStarting", message);
    switch (plan.stage()) {
      case STEADY ->
          sink.accept(
              Phase.Ready,
              new Condition[] {
                Conditions.of(ConditionType.READY, true, "ReleaseActive", message),
                Conditions.of(ConditionType.PROGRESSING, false, "ReleaseComplete", message),
                Conditions.of(ConditionType.DEGRADED, false, "AsExpected", "All components healthy")
              });
      case PROGRESSING ->
          sink.accept(
              Phase.Progressing,
              new Condition[] {
                ready,
                Conditions.of(ConditionType.PROGRESSING, true, "ReleaseStarting", message),
                Conditions.of(ConditionType.DEGRADED, false, "AsExpected", "No problem found")
              });
      case CANNOT_START ->
          sink.accept(
              Phase.Progressing,
              new Condition[] {
                serving
                    ? ready
                    : Conditions.of(ConditionType.READY, false, "ReleaseCannotStart", message),
                Conditions.of(ConditionType.PROGRESSING, true, "ReleaseCannotStart", message),
                Conditions.of(ConditionType.DEGRADED, true, "ReleaseCannotStart", message)
              });
      case AWAITING_PROMOTION ->
          sink.accept(
              Phase.Progressing,
              new Condition[] {
                ready,
                Conditions.of(ConditionType.PROGRESSING, true, "AwaitingPromotion", message),
                Conditions.of(ConditionType.DEGRADED, false, "AsExpected", "No problem found")
              });
      case FAILED ->
          sink.accept(
              Phase.Degraded,
              new Condition[] {
                ready,
                Conditions.of(ConditionType.PROGRESSING, false, "ReleaseFailed", message),
                Conditions.of(ConditionType.DEGRADED, true, "ReleaseFailed", message)
              });
      case ROLLED_BACK ->
          sink.accept(
              Phase.RolledBack,
              new Condition[] {
                ready,
                Conditions.of(ConditionType.PROGRESSING, false, "RolledBack", message),
                Conditions.of(ConditionType.DEGRADED, true, "RolledBack", message)
              });
      case WAITING_FOR_DATABASE ->
          sink.accept(
              Phase.Progressing,
              new Condition[] {
                serving
                    ? ready
                    : Conditions.of(ConditionType.READY, false, "DatabaseNotReady", message),
                Conditions.of(ConditionType.PROGRESSING, true, "WaitingForDatabase", message),
                Conditions.of(ConditionType.DEGRADED, false, "AsExpected", "No problem found")
              });
    }
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
