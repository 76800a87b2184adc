package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.Postgres;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The database's objects exist only while spec.database does. */
public class DatabaseEnabledCondition<R extends HasMetadata>
    implements Condition<R, AppEnvironment> {
  @Override
  public boolean isMet(
      DependentResource<R, AppEnvironment> dependent,
      AppEnvironment primary,
      Context<AppEnvironment> context) {
    return Postgres.isEnabled(primary);
  }
}
