package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppPodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** A PodDisruptionBudget over a single replica would block every node drain. */
public class MultipleReplicasCondition implements Condition<PodDisruptionBudget, AppEnvironment> {
  @Override
  public boolean isMet(
      DependentResource<PodDisruptionBudget, AppEnvironment> dependent,
      AppEnvironment primary,
      Context<AppEnvironment> context) {
    return AppPodDisruptionBudgetBuilder.isNeeded(primary);
  }
}
