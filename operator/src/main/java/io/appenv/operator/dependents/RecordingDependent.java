package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * A CRUD dependent that notes whenever it creates or changes its object; the reconcile tells them
 * in one Event ({@link ObjectChanges}).
 */
public abstract class RecordingDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, AppEnvironment> {

  protected RecordingDependent(Class<R> type) {
    super(type);
  }

  @Override
  public R create(R desired, AppEnvironment primary, Context<AppEnvironment> context) {
    R created = super.create(desired, primary, context);
    changes(context).created(desired);
    return created;
  }

  @Override
  public R update(R actual, R desired, AppEnvironment primary, Context<AppEnvironment> context) {
    R updated = super.update(actual, desired, primary, context);
    changes(context).updated(desired);
    return updated;
  }

  private static ObjectChanges changes(Context<AppEnvironment> context) {
    return WorkflowInputs.of(context).changes();
  }
}
