package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresStatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The database itself: one PostgreSQL pod on its own volume. */
public class PostgresStatefulSetDependent extends RecordingDependent<StatefulSet> {
  public PostgresStatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresStatefulSetBuilder.build(primary, WorkflowInputs.of(context).postgresImage());
  }
}
