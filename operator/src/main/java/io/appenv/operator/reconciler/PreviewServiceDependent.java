package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.model.AppServiceBuilder;
import io.appenv.operator.model.Color;
import io.appenv.operator.model.Labels;
import io.appenv.operator.release.ReleasePlan;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <name>-preview}: the candidate colour, for checks before (or without) promotion. */
@KubernetesDependent(
    informer =
        @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = OwnFieldsItemStore.class))
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
