package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.model.AppDeploymentBuilder;
import io.appenv.operator.model.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

@KubernetesDependent(
    informer =
        @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = OwnFieldsItemStore.class))
public class AppDeploymentDependent extends RecordingDependent<Deployment> {
  public AppDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AppDeploymentBuilder.build(primary);
  }
}
