package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * Keeps a node drain from evicting the single database Pod unannounced (as CloudNativePG does for
 * its primary): the drain waits until a person moves the database on purpose.
 */
public final class PostgresPodDisruptionBudgetBuilder {
  private PostgresPodDisruptionBudgetBuilder() {}

  public static PodDisruptionBudget build(AppEnvironment env) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(Metadata.of(env, Names.database(env), Labels.COMPONENT_DATABASE))
        .withNewSpec()
        .withNewMinAvailable(1)
        .withNewSelector()
        .withMatchLabels(Labels.selector(env, Labels.COMPONENT_DATABASE))
        .endSelector()
        .endSpec()
        .build();
  }
}
