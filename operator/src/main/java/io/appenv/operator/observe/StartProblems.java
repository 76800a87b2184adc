package io.appenv.operator.observe;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Why a release's pods do not start, in words a person can act on: the kubelet's and the
 * scheduler's own reasons, read from the pods, instead of "not available within the progress
 * deadline". Only reasons that do not fix themselves count; a pod pulling its image or starting its
 * container is no problem.
 */
public final class StartProblems {
  /**
   * Waiting reasons that stay until someone changes the spec, a Secret or the registry (a crash
   * loop is read apart, with its last exit).
   */
  private static final Set<String> STUCK =
      Set.of(
          "CreateContainerConfigError",
          "CreateContainerError",
          "ErrImagePull",
          "ImagePullBackOff",
          "ErrImageNeverPull",
          "InvalidImageName",
          "RunContainerError");

  private static final int MAX_MESSAGE = 300;

  private StartProblems() {}

  /**
   * The first problem (by pod name, so the same pods give the same words) among the pods of the
   * colour's newest ReplicaSet, if any: pods of a superseded release stay while the new ones never
   * become available, and their cause is not the new release's.
   */
  public static Optional<String> of(List<Pod> pods) {
    List<Pod> live =
        pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    String newest =
        live.stream()
            .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())))
            .map(StartProblems::replicaSet)
            .orElse("");
    return live.stream()
        .filter(p -> newest.equals(replicaSet(p)))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(StartProblems::ofPod)
        .flatMap(Optional::stream)
        .findFirst();
  }

  /** The pod-template-hash label the Deployment controller gives each ReplicaSet's pods. */
  private static String replicaSet(Pod pod) {
    return Optional.ofNullable(pod.getMetadata().getLabels())
        .map(labels -> labels.get("pod-template-hash"))
        .orElse("");
  }

  private static Optional<String> ofPod(Pod pod) {
    String name = "pod " + pod.getMetadata().getName();
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    Optional<String> unschedulable =
        Optional.ofNullable(pod.getStatus().getConditions()).stream()
            .flatMap(List::stream)
            .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
            .filter(c -> "Unschedulable".equals(c.getReason()))
            .map(PodCondition::getMessage)
            .findFirst()
            .map(message -> name + " cannot be scheduled: " + cut(message));
    if (unschedulable.isPresent()) {
      return unschedulable;
    }
    return Stream.concat(
            Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).stream()
                .flatMap(List::stream),
            Optional.ofNullable(pod.getStatus().getContainerStatuses()).stream()
                .flatMap(List::stream))
        .map(container -> ofContainer(container).map(why -> name + ": container " + why))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<String> ofContainer(ContainerStatus container) {
    var waiting =
        Optional.ofNullable(container.getState()).map(ContainerState::getWaiting).orElse(null);
    var lastExit = Optional.ofNullable(container.getLastState()).map(ContainerState::getTerminated);
    // Words that stay the same from one look to the next, so the status and the Event change only
    // when the cause does. Between back-offs a crash-looping container runs for a while: still the
    // same crash loop, and its restart count, which goes up, is left out.
    boolean crashing =
        !Boolean.TRUE.equals(container.getReady())
            && Optional.ofNullable(container.getRestartCount()).orElse(0) >= 2
            && lastExit.map(last -> !Integer.valueOf(0).equals(last.getExitCode())).orElse(false);
    if ((crashing && waiting == null)
        || (waiting != null && "CrashLoopBackOff".equals(waiting.getReason()))) {
      return Optional.of(
          container.getName()
              + " keeps crashing (CrashLoopBackOff)"
              + lastExit.map(last -> ", last exit " + lastExit(last)).orElse(""));
    }
    if (waiting == null || !STUCK.contains(waiting.getReason())) {
      return Optional.empty();
    }
    // The kubelet alternates ErrImagePull and ImagePullBackOff, with different messages.
    String why =
        switch (waiting.getReason()) {
          case "ErrImagePull", "ImagePullBackOff" ->
              container.getName()
                  + " cannot pull its image "
                  + container.getImage()
                  + " (kubectl describe pod shows the registry's answer)";
          default ->
              container.getName()
                  + " "
                  + waiting.getReason()
                  + (waiting.getMessage() == null || waiting.getMessage().isBlank()
                      ? ""
                      : ": " + cut(waiting.getMessage()));
        };
    return Optional.of(why);
  }

  /** Code and reason (Error, OOMKilled): the same at every crash, unlike the log's last lines. */
  private static String lastExit(ContainerStateTerminated last) {
    return "code "
        + last.getExitCode()
        + (last.getReason() == null ? "" : " (" + last.getReason() + ")");
  }

  /** Kubelet messages can hold a whole registry answer; the status keeps a line of it. */
  private static String cut(String message) {
    String line = message.replaceAll("\\s+", " ").strip();
    return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
