package io.appenv.operator.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * For the kinds whose status the operator never reads (PodDisruptionBudgets, the backup claim,
 * Velero Schedules, ServiceMonitors, PrometheusRules): an update wakes the environment only when
 * its spec (the generation) or metadata changed. The disruption controller rewrites a budget's
 * status whenever a pod's health changes, and the volume binder a claim's phase; each woke a
 * reconcile that had nothing to do.
 */
public class StatusUpdatesIgnored<R extends HasMetadata> implements OnUpdateFilter<R> {
  @Override
  public boolean accept(R updated, R old) {
    return !sameSpecAndMetadata(updated.getMetadata(), old.getMetadata());
  }

  /**
   * A claim has no generation, so a change of its spec passes unseen; the operator creates the
   * claim and never changes it.
   */
  static boolean sameSpecAndMetadata(ObjectMeta updated, ObjectMeta old) {
    return Objects.equals(updated.getGeneration(), old.getGeneration())
        && Objects.equals(updated.getLabels(), old.getLabels())
        && Objects.equals(updated.getAnnotations(), old.getAnnotations())
        && Objects.equals(updated.getOwnerReferences(), old.getOwnerReferences())
        && Objects.equals(updated.getFinalizers(), old.getFinalizers())
        && Objects.equals(updated.getDeletionTimestamp(), old.getDeletionTimestamp());
  }
}
