package io.appenv.operator.observe;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;

/** Where a Job the operator waits for stands: a pre-release backup, the roles Job. */
public enum JobState {
  ABSENT,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public static JobState of(Job job) {
    var status = Optional.ofNullable(job.getStatus());
    if (status.map(s -> s.getSucceeded()).orElse(0) > 0) {
      return SUCCEEDED;
    }
    boolean failed =
        status.map(s -> s.getConditions()).orElse(List.of()).stream()
            .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
    return failed ? FAILED : RUNNING;
  }
}
