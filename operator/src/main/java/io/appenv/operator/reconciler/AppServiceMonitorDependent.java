package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.model.AppServiceMonitorBuilder;
import io.appenv.operator.upstream.ServiceMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;

public class AppServiceMonitorDependent extends RecordingDependent<ServiceMonitor> {
  public AppServiceMonitorDependent() {
    super(ServiceMonitor.class);
  }

  @Override
  protected ServiceMonitor desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AppServiceMonitorBuilder.build(primary);
  }
}
