package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AlertRulesBuilder;
import io.appenv.operator.informers.OwnFieldsItemStore;
import io.appenv.operator.informers.StartOnceInformer;
import io.appenv.operator.informers.StatusUpdatesIgnored;
import io.appenv.operator.names.Labels;
import io.appenv.operator.upstream.PrometheusRule;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/** The environment's PrometheusRule. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Labels.MANAGED_SELECTOR,
            itemStore = OwnFieldsItemStore.class,
            onUpdateFilter = StatusUpdatesIgnored.class))
public class AlertRulesDependent extends RecordingDependent<PrometheusRule> {
  public AlertRulesDependent() {
    super(PrometheusRule.class);
  }

  @Override
  protected InformerEventSource<PrometheusRule, AppEnvironment> createEventSource(
      EventSourceContext<AppEnvironment> context) {
    return StartOnceInformer.of(super.createEventSource(context), context);
  }

  @Override
  protected PrometheusRule desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AlertRulesBuilder.build(primary, WorkflowInputs.of(context).monitoringLabels());
  }

  /** The dependent, and its informer, exist only where the Prometheus Operator's CRD does. */
  public static class CrdPresent
      extends CRDPresentActivationCondition<PrometheusRule, AppEnvironment> {}
}
