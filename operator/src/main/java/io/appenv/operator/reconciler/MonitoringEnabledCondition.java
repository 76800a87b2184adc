package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.model.AppServiceMonitorBuilder;
import io.appenv.operator.upstream.ServiceMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** spec.monitoring.enabled: false removes the scraping configuration. */
public class MonitoringEnabledCondition implements Condition<ServiceMonitor, AppEnvironment> {
  @Override
  public boolean isMet(DependentResource<ServiceMonitor, AppEnvironment> dependent, AppEnvironment primary,
      Context<AppEnvironment> context) {
    return AppServiceMonitorBuilder.isEnabled(primary);
  }
}
