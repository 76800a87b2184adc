package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppServiceMonitorBuilder;
import io.appenv.operator.informers.OwnFieldsItemStore;
import io.appenv.operator.informers.StartOnceInformer;
import io.appenv.operator.informers.StatusUpdatesIgnored;
import io.appenv.operator.names.Labels;
import io.appenv.operator.upstream.ServiceMonitor;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Labels.MANAGED_SELECTOR,
            itemStore = OwnFieldsItemStore.class,
            onUpdateFilter = StatusUpdatesIgnored.class))
public class AppServiceMonitorDependent extends RecordingDependent<ServiceMonitor> {
  public AppServiceMonitorDependent() {
    super(ServiceMonitor.class);
  }

  @Override
  protected InformerEventSource<ServiceMonitor, AppEnvironment> createEventSource(
      EventSourceContext<AppEnvironment> context) {
    return StartOnceInformer.of(super.createEventSource(context), context);
  }

  @Override
  protected ServiceMonitor desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AppServiceMonitorBuilder.build(primary, WorkflowInputs.of(context).monitoringLabels());
  }

  /** The dependent, and its informer, exist only where the Prometheus Operator's CRD does. */
  public static class CrdPresent
      extends CRDPresentActivationCondition<ServiceMonitor, AppEnvironment> {}
}
