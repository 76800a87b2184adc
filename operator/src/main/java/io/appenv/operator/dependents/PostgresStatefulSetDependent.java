package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresStatefulSetBuilder;
import io.appenv.operator.informers.OwnFieldsItemStore;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The database itself: one PostgreSQL pod on its own volume. */
@KubernetesDependent(
    informer =
        @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = OwnFieldsItemStore.class))
public class PostgresStatefulSetDependent extends RecordingDependent<StatefulSet> {
  public PostgresStatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresStatefulSetBuilder.build(primary, WorkflowInputs.of(context).postgresImage());
  }
}
