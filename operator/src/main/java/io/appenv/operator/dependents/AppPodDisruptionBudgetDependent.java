package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppPodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;

public class AppPodDisruptionBudgetDependent extends RecordingDependent<PodDisruptionBudget> {
  public AppPodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AppPodDisruptionBudgetBuilder.build(primary);
  }
}
