package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.model.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The single app Deployment exists only for the Rolling strategy. */
public class RollingStrategyCondition implements Condition<Deployment, AppEnvironment> {
  @Override
  public boolean isMet(DependentResource<Deployment, AppEnvironment> dependent, AppEnvironment primary,
      Context<AppEnvironment> context) {
    return EnvironmentDefaults.strategy(primary) == ReleaseStrategy.Rolling;
  }
}
