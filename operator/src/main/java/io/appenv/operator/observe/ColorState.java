package io.appenv.operator.observe;

import io.appenv.operator.builders.ColorDeploymentBuilder;
import io.appenv.operator.builders.TemplateHash;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster shows of one colour's Deployment, reduced to what a release decision needs.
 *
 * @param availableSince when its Deployment last turned Available (the condition's transition),
 *     null when it is not or when unknown
 */
public record ColorState(
    String templateHash,
    PodTemplateSpec template,
    int replicas,
    boolean available,
    Instant availableSince) {

  public ColorState(
      String templateHash, PodTemplateSpec template, int replicas, boolean available) {
    this(templateHash, template, replicas, available, null);
  }

  /** Null when the colour has no Deployment yet. */
  public static ColorState of(Deployment deployment) {
    if (deployment == null) {
      return null;
    }
    String hash =
        Optional.ofNullable(deployment.getMetadata().getAnnotations())
            .map(a -> a.get(TemplateHash.ANNOTATION))
            .orElse(null);
    int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(0);
    var status = deployment.getStatus();
    long generation = Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
    boolean available =
        status != null
            && Optional.ofNullable(status.getObservedGeneration()).orElse(0L) >= generation
            && Optional.ofNullable(status.getUpdatedReplicas()).orElse(0) >= replicas
            && Optional.ofNullable(status.getAvailableReplicas()).orElse(0) >= replicas
            && Optional.ofNullable(status.getReplicas()).orElse(0) == replicas;
    Instant since =
        status == null || status.getConditions() == null
            ? null
            : status.getConditions().stream()
                .filter(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(DeploymentCondition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .map(Instant::parse)
                .findFirst()
                .orElse(null);
    return new ColorState(
        hash,
        ColorDeploymentBuilder.uncoloredTemplate(deployment),
        replicas,
        available,
        available ? since : null);
  }

  /** All replicas of this template are up. */
  public boolean runs(String hash, int wantedReplicas) {
    return hash.equals(templateHash) && replicas == wantedReplicas && available;
  }
}
