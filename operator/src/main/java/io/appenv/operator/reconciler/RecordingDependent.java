package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** A CRUD dependent that records an Event whenever it creates or changes its object. */
public abstract class RecordingDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, AppEnvironment> {

  protected RecordingDependent(Class<R> type) {
    super(type);
  }

  @Override
  public R create(R desired, AppEnvironment primary, Context<AppEnvironment> context) {
    R created = super.create(desired, primary, context);
    events(context).normal(primary, "Created", "Created " + describe(desired));
    return created;
  }

  @Override
  public R update(R actual, R desired, AppEnvironment primary, Context<AppEnvironment> context) {
    R updated = super.update(actual, desired, primary, context);
    events(context)
        .normal(primary, "Updated", "Updated " + describe(desired) + " to match the spec");
    return updated;
  }

  private static String describe(HasMetadata resource) {
    return resource.getKind() + " " + resource.getMetadata().getName();
  }

  private static EventRecorder events(Context<AppEnvironment> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(EventRecorder.class, EventRecorder.class);
  }
}
