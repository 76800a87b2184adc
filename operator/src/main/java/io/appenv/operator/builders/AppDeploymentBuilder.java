package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.spec.Durations;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * The app Deployment of the Rolling strategy: Pods replaced in place, never below the desired
 * count.
 */
public final class AppDeploymentBuilder {
  private AppDeploymentBuilder() {}

  public static Deployment build(AppEnvironment env) {
    Map<String, String> selector = Labels.selector(env, Labels.COMPONENT_APP);
    Map<String, String> podLabels = Labels.common(env, Labels.COMPONENT_APP);
    return new DeploymentBuilder()
        .withMetadata(Metadata.of(env, Names.app(env), Labels.COMPONENT_APP))
        .withNewSpec()
        .withReplicas(EnvironmentDefaults.replicas(env))
        .withRevisionHistoryLimit(5)
        .withProgressDeadlineSeconds(progressDeadlineSeconds(env))
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withNewMaxUnavailable(0)
        .withNewMaxSurge(1)
        .endRollingUpdate()
        .endStrategy()
        .withTemplate(AppPodTemplateBuilder.build(env, podLabels))
        .endSpec()
        .build();
  }

  static int progressDeadlineSeconds(AppEnvironment env) {
    return (int)
        Durations.parse(EnvironmentDefaults.release(env).getProgressDeadline()).toSeconds();
  }
}
