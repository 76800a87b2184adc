package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppServiceBuilder;
import io.appenv.operator.names.Color;
import io.appenv.operator.release.ReleasePlan;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** {@code <name>-preview}: the candidate colour, for checks before (or without) promotion. */
public class PreviewServiceDependent extends RecordingDependent<Service> {
  public PreviewServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(AppEnvironment primary, Context<AppEnvironment> context) {
    // Without a plan JOSDK only wants the object's name, to delete it.
    return AppServiceBuilder.preview(
        primary, ReleasePlans.find(context).map(ReleasePlan::preview).orElse(Color.BLUE));
  }
}
