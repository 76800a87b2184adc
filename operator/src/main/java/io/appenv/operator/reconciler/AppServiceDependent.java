package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.model.AppServiceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

public class AppServiceDependent extends RecordingDependent<Service> {
  public AppServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return ReleasePlans.find(context)
        .map(plan -> AppServiceBuilder.active(primary, plan.serving()))
        .orElseGet(() -> AppServiceBuilder.build(primary));
  }
}
