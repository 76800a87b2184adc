package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.model.AlertRulesBuilder;
import io.appenv.operator.upstream.PrometheusRule;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;

/** The environment's PrometheusRule. */
public class AlertRulesDependent extends RecordingDependent<PrometheusRule> {
  public AlertRulesDependent() {
    super(PrometheusRule.class);
  }

  @Override
  protected PrometheusRule desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AlertRulesBuilder.build(primary);
  }

  /** The dependent, and its informer, exist only where the Prometheus Operator's CRD does. */
  public static class CrdPresent extends CRDPresentActivationCondition<PrometheusRule, AppEnvironment> {}
}
