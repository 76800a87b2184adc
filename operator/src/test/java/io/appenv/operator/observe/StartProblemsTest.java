package io.appenv.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pod statuses below are what the kubelet and the scheduler write for each cause. */
class StartProblemsTest {

  @Test
  void aMissingSecretOrKeyIsNamed() {
    Pod pod =
        pod(
            "shop-green-1",
            waiting(
                "CreateContainerConfigError", "couldn't find key keys in Secret shop/api-keys"));

    assertThat(StartProblems.of(List.of(pod)))
        .contains(
            "pod shop-green-1: container app CreateContainerConfigError: couldn't find key keys"
                + " in Secret shop/api-keys");
  }

  @Test
  void anImageThatCannotBePulledReadsTheSameWhileTheKubeletAlternatesItsReasons() {
    Pod pulling = pod("shop-green-1", waiting("ErrImagePull", "rpc error: not found"));
    Pod backingOff =
        pod("shop-green-1", waiting("ImagePullBackOff", "Back-off pulling image \"shop:9\""));

    assertThat(StartProblems.of(List.of(pulling)))
        .contains(
            "pod shop-green-1: container app cannot pull its image shop:9 (kubectl describe pod"
                + " shows the registry's answer)")
        .isEqualTo(StartProblems.of(List.of(backingOff)));
    assertThat(StartProblems.of(List.of(pod("p", waiting("ErrImageNeverPull", "not present")))))
        .contains("pod p: container app ErrImageNeverPull: not present");
  }

  @Test
  void aCrashLoopGivesTheLastExitAndReadsTheSameBetweenBackOffs() {
    ContainerStatus backingOff =
        crashed(3)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .build();
    ContainerStatus runningAgain =
        crashed(4).withNewState().withNewRunning().endRunning().endState().build();

    assertThat(StartProblems.of(List.of(pod("p", backingOff))))
        .contains(
            "pod p: container app keeps crashing (CrashLoopBackOff), last exit code 1 (Error)")
        .isEqualTo(StartProblems.of(List.of(pod("p", runningAgain))));
  }

  @Test
  void anUnschedulablePodSaysWhatTheSchedulerSaid() {
    Pod pod =
        new PodBuilder(pod("p"))
            .editStatus()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient cpu.")
            .endCondition()
            .endStatus()
            .build();

    assertThat(StartProblems.of(List.of(pod)))
        .contains("pod p cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.");
  }

  @Test
  void podsThatAreStartingOrRunningOrGoingAwayAreNoProblem() {
    Pod creating = pod("a", waiting("ContainerCreating", null));
    Pod running =
        pod(
            "b",
            new ContainerStatusBuilder()
                .withName("app")
                .withImage("shop:9")
                .withReady(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build());
    Pod deleted =
        new PodBuilder(pod("c", waiting("CrashLoopBackOff", null)))
            .editMetadata()
            .withDeletionTimestamp("2026-12-02T10:00:00Z")
            .endMetadata()
            .build();
    Pod restartedOnceAndWell =
        pod(
            "d",
            crashed(1)
                .withReady(true)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build());

    assertThat(StartProblems.of(List.of(creating, running, deleted, restartedOnceAndWell)))
        .isEmpty();
  }

  @Test
  void onlyTheNewestReplicaSetsPodsSpeakForTheRelease() {
    Pod superseded =
        new PodBuilder(
                pod("a-old", waiting("CreateContainerConfigError", "secret \"x\" not found")))
            .editMetadata()
            .withCreationTimestamp("2026-12-02T10:00:00Z")
            .addToLabels("pod-template-hash", "old")
            .endMetadata()
            .build();
    Pod current =
        new PodBuilder(pod("b-new", waiting("ErrImageNeverPull", "not present")))
            .editMetadata()
            .withCreationTimestamp("2026-12-02T10:05:00Z")
            .addToLabels("pod-template-hash", "new")
            .endMetadata()
            .build();

    assertThat(StartProblems.of(List.of(superseded, current)))
        .contains("pod b-new: container app ErrImageNeverPull: not present");
  }

  @Test
  void longMessagesAreCutToALine() {
    String answer = "x".repeat(2000);
    assertThat(StartProblems.of(List.of(pod("p", waiting("CreateContainerError", answer)))))
        .hasValueSatisfying(why -> assertThat(why).hasSizeLessThan(400).endsWith("..."));
  }

  private static Pod pod(String name, ContainerStatus... containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPhase("Pending")
        .withContainerStatuses(containers)
        .endStatus()
        .build();
  }

  private static ContainerStatus waiting(String reason, String message) {
    return new ContainerStatusBuilder()
        .withName("app")
        .withImage("shop:9")
        .withReady(false)
        .withRestartCount(0)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  private static ContainerStatusBuilder crashed(int restarts) {
    return new ContainerStatusBuilder()
        .withName("app")
        .withImage("shop:9")
        .withReady(false)
        .withRestartCount(restarts)
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(1)
        .withReason("Error")
        .endTerminated()
        .endLastState();
  }
}
