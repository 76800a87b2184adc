package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppPodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Keeps a node drain from taking more than one app replica at a time. */
public class AppPodDisruptionBudgetDependent extends RecordingDependent<PodDisruptionBudget> {
  public AppPodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AppPodDisruptionBudgetBuilder.build(primary);
  }

  /** A budget over a single replica would block every node drain. */
  public static class MultipleReplicas implements Condition<PodDisruptionBudget, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<PodDisruptionBudget, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return AppPodDisruptionBudgetBuilder.isNeeded(primary);
    }
  }
}
