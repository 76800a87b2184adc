package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * Lets node drains take at most one app Pod at a time; only meaningful with more than one replica.
 */
public final class AppPodDisruptionBudgetBuilder {
  private AppPodDisruptionBudgetBuilder() {}

  public static boolean isNeeded(AppEnvironment env) {
    return EnvironmentDefaults.replicas(env) > 1;
  }

  public static PodDisruptionBudget build(AppEnvironment env) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(Metadata.of(env, Names.podDisruptionBudget(env), Labels.COMPONENT_APP))
        .withNewSpec()
        .withNewMaxUnavailable(1)
        .withNewSelector()
        .withMatchLabels(Labels.selector(env, Labels.COMPONENT_APP))
        .endSelector()
        .endSpec()
        .build();
  }
}
