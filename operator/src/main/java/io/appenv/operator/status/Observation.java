package io.appenv.operator.status;

import java.util.List;

/** What one reconcile learned, the input of the status aggregator. */
public record Observation(long generation, List<String> specProblems, RolloutState rollout,
    MonitoringState monitoring) {
  public boolean specValid() {
    return specProblems.isEmpty();
  }
}
