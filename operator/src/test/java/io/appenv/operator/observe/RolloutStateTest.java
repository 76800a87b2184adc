package io.appenv.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class RolloutStateTest {

  private static Deployment deployment(
      long generation, long observed, int replicas, int updated, int available) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("shop")
        .withGeneration(generation)
        .endMetadata()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withReplicas(replicas)
        .withUpdatedReplicas(updated)
        .withAvailableReplicas(available)
        .endStatus()
        .build();
  }

  @Test
  void missingDeploymentIsMissing() {
    assertThat(RolloutState.of(null, 2).stage()).isEqualTo(RolloutState.Stage.MISSING);
  }

  @Test
  void allReplicasUpdatedAndAvailableIsAvailable() {
    assertThat(RolloutState.of(deployment(2, 2, 3, 3, 3), 3).stage())
        .isEqualTo(RolloutState.Stage.AVAILABLE);
  }

  @Test
  void notYetObservedGenerationIsStillProgressing() {
    assertThat(RolloutState.of(deployment(3, 2, 3, 3, 3), 3).stage())
        .isEqualTo(RolloutState.Stage.PROGRESSING);
  }

  @Test
  void oldPodsStillRunningIsProgressing() {
    RolloutState state = RolloutState.of(deployment(2, 2, 4, 1, 3), 3);

    assertThat(state.stage()).isEqualTo(RolloutState.Stage.PROGRESSING);
    assertThat(state.message()).contains("3/3 replicas available, 1 updated");
  }

  @Test
  void exceededProgressDeadlineIsFailed() {
    Deployment deployment =
        new DeploymentBuilder(deployment(2, 2, 3, 1, 2))
            .editStatus()
            .addNewCondition()
            .withType("Progressing")
            .withStatus("False")
            .withReason("ProgressDeadlineExceeded")
            .endCondition()
            .endStatus()
            .build();

    assertThat(RolloutState.of(deployment, 3).stage()).isEqualTo(RolloutState.Stage.FAILED);
  }
}
