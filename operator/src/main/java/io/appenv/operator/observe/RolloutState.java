package io.appenv.operator.observe;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Optional;

/**
 * What a Deployment's status says about its rollout, reduced to what the AppEnvironment reports.
 */
public record RolloutState(Stage stage, String message) {

  public enum Stage {
    MISSING,
    PROGRESSING,
    AVAILABLE,
    FAILED
  }

  public static RolloutState of(Deployment deployment, int desiredReplicas) {
    if (deployment == null) {
      return new RolloutState(Stage.MISSING, "Deployment not created yet");
    }
    String name = deployment.getMetadata().getName();
    DeploymentStatus status =
        Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
    if (deadlineExceeded(status)) {
      return new RolloutState(
          Stage.FAILED,
          "Deployment "
              + name
              + " exceeded its progress deadline: check the Pods' events and logs");
    }
    long generation = Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
    long observed = Optional.ofNullable(status.getObservedGeneration()).orElse(0L);
    int updated = Optional.ofNullable(status.getUpdatedReplicas()).orElse(0);
    int available = Optional.ofNullable(status.getAvailableReplicas()).orElse(0);
    int total = Optional.ofNullable(status.getReplicas()).orElse(0);
    boolean settled =
        observed >= generation
            && updated >= desiredReplicas
            && available >= desiredReplicas
            && total == desiredReplicas;
    String counts =
        available + "/" + desiredReplicas + " replicas available, " + updated + " updated";
    if (settled) {
      return new RolloutState(Stage.AVAILABLE, counts);
    }
    return new RolloutState(Stage.PROGRESSING, "Deployment " + name + " rolling out: " + counts);
  }

  private static boolean deadlineExceeded(DeploymentStatus status) {
    if (status.getConditions() == null) {
      return false;
    }
    return status.getConditions().stream()
        .filter(c -> "Progressing".equals(c.getType()))
        .map(DeploymentCondition::getReason)
        .anyMatch("ProgressDeadlineExceeded"::equals);
  }
}
