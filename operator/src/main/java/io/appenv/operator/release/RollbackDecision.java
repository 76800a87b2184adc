package io.appenv.operator.release;

/** Whether an alert rolls its environment back, and why (or why not), for the log and the Event. */
public record RollbackDecision(boolean rollBack, String reason) {
  public static RollbackDecision rollBack(String reason) {
    return new RollbackDecision(true, reason);
  }

  public static RollbackDecision ignore(String reason) {
    return new RollbackDecision(false, reason);
  }
}
