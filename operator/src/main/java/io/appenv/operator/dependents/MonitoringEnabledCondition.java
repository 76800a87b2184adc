package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** spec.monitoring.enabled: false removes the scraping configuration and the alert rules. */
public class MonitoringEnabledCondition<R extends HasMetadata>
    implements Condition<R, AppEnvironment> {
  @Override
  public boolean isMet(
      DependentResource<R, AppEnvironment> dependent,
      AppEnvironment primary,
      Context<AppEnvironment> context) {
    return EnvironmentDefaults.monitored(primary);
  }
}
