package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresPodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Keeps a voluntary disruption (a node drain) from taking the database down unannounced. */
public class PostgresPodDisruptionBudgetDependent extends RecordingDependent<PodDisruptionBudget> {
  public PostgresPodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresPodDisruptionBudgetBuilder.build(primary);
  }
}
