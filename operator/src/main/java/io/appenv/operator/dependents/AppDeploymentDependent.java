package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppDeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

public class AppDeploymentDependent extends RecordingDependent<Deployment> {
  public AppDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AppDeploymentBuilder.build(primary);
  }
}
