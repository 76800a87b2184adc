package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.VeleroScheduleBuilder;
import io.appenv.operator.informers.OwnFieldsItemStore;
import io.appenv.operator.informers.StartOnceInformer;
import io.appenv.operator.informers.StatusUpdatesIgnored;
import io.appenv.operator.names.Labels;
import io.appenv.operator.upstream.VeleroSchedule;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The Velero Schedule, in Velero's namespace. Not garbage-collected (an owner reference cannot
 * cross namespaces): JOSDK maps it back through annotations and deletes it in the reconciler's
 * cleanup. Its informer watches every namespace, because spec.backup.velero.namespace is the user's
 * choice, but only appenv's own objects.
 */
@KubernetesDependent(
    informer =
        @Informer(
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            labelSelector = Labels.MANAGED_SELECTOR,
            itemStore = OwnFieldsItemStore.class,
            onUpdateFilter = StatusUpdatesIgnored.class))
public class VeleroScheduleDependent
    extends CRUDNoGCKubernetesDependentResource<VeleroSchedule, AppEnvironment> {

  public VeleroScheduleDependent() {
    super(VeleroSchedule.class);
  }

  @Override
  protected InformerEventSource<VeleroSchedule, AppEnvironment> createEventSource(
      EventSourceContext<AppEnvironment> context) {
    return StartOnceInformer.of(super.createEventSource(context), context);
  }

  @Override
  protected VeleroSchedule desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return VeleroScheduleBuilder.build(primary);
  }

  /** The dependent, and its informer, exist only where Velero's CRD does. */
  public static class CrdPresent
      extends CRDPresentActivationCondition<VeleroSchedule, AppEnvironment> {}

  /** spec.backup.velero.enabled: false (or no backup) deletes the Schedule. */
  public static class Enabled implements Condition<VeleroSchedule, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<VeleroSchedule, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return VeleroScheduleBuilder.isEnabled(primary);
    }
  }
}
