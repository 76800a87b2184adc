package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppServiceBuilder;
import io.appenv.operator.names.Color;
import io.appenv.operator.release.ReleasePlan;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** {@code <name>-preview}: the candidate colour, for checks before (or without) promotion. */
public class PreviewServiceDependent extends RecordingDependent<Service> {
  public PreviewServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(AppEnvironment primary, Context<AppEnvironment> context) {
    // Without a plan JOSDK only wants the object's name, to delete it.
    return AppServiceBuilder.preview(
        primary, WorkflowInputs.of(context).release().map(ReleasePlan::preview).orElse(Color.BLUE));
  }

  /** The preview Service exists for blue/green environments only. */
  public static class BlueGreen implements Condition<Service, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<Service, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return WorkflowInputs.of(context).release().isPresent();
    }
  }
}
