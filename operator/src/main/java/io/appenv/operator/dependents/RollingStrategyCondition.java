package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.builders.Postgres;
import io.appenv.operator.names.Names;
import io.appenv.operator.observe.DatabaseState;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The single app Deployment exists only for the Rolling strategy, and is first created once the
 * database accepts connections: pods started earlier would crash and back off for minutes. Once it
 * exists it stays, whatever the database does.
 */
public class RollingStrategyCondition implements Condition<Deployment, AppEnvironment> {
  @Override
  public boolean isMet(
      DependentResource<Deployment, AppEnvironment> dependent,
      AppEnvironment primary,
      Context<AppEnvironment> context) {
    if (EnvironmentDefaults.strategy(primary) != ReleaseStrategy.Rolling) {
      return false;
    }
    boolean exists =
        context
            .getSecondaryResourcesAsStream(Deployment.class)
            .anyMatch(d -> Names.app(primary).equals(d.getMetadata().getName()));
    return exists
        || !Postgres.isEnabled(primary)
        || DatabaseState.of(primary, context.getSecondaryResource(StatefulSet.class).orElse(null))
            .ready();
  }
}
