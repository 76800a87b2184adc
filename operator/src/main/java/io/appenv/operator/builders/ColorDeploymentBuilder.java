package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * One colour of a blue/green release: a Deployment {@code <name>-blue} or {@code <name>-green}
 * running a given pod template. Its Pods carry the colour label the Services select on.
 */
public final class ColorDeploymentBuilder {
  private ColorDeploymentBuilder() {}

  /** The pod template the spec asks for, without colour: its hash identifies the release. */
  public static PodTemplateSpec specTemplate(AppEnvironment env) {
    return AppPodTemplateBuilder.build(env, Labels.common(env, Labels.COMPONENT_APP));
  }

  /**
   * @param template the pod template without colour
   * @param templateHash the hash of the template as the spec produced it (a template read back from
   *     the API server carries defaults, so its hash is not recomputed)
   */
  public static Deployment build(
      AppEnvironment env,
      Color color,
      PodTemplateSpec template,
      String templateHash,
      int replicas) {
    Map<String, String> selector =
        Labels.withColor(Labels.selector(env, Labels.COMPONENT_APP), color);
    PodTemplateSpec colored =
        new PodTemplateSpecBuilder(template)
            .editMetadata()
            .addToLabels(Labels.COLOR, color.label())
            .endMetadata()
            .build();
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(Names.colorDeployment(env, color))
        .withNamespace(env.getMetadata().getNamespace())
        .withLabels(Labels.withColor(Labels.common(env, Labels.COMPONENT_APP), color))
        .addToAnnotations(TemplateHash.ANNOTATION, templateHash)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withRevisionHistoryLimit(2)
        .withProgressDeadlineSeconds(AppDeploymentBuilder.progressDeadlineSeconds(env))
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withTemplate(colored)
        .endSpec()
        .build();
  }

  /** The template a colour's Deployment runs, without its colour label, as it was built. */
  public static PodTemplateSpec uncoloredTemplate(Deployment deployment) {
    return new PodTemplateSpecBuilder(deployment.getSpec().getTemplate())
        .editMetadata()
        .removeFromLabels(Labels.COLOR)
        .endMetadata()
        .build();
  }
}
