package io.appenv.operator.informers;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statuses the reconciler is writing itself, so that the watch events of those writes wake no
 * reconcile: the reconcile that wrote a status already acted on everything it knew, and when the
 * new status changes its own plan it asks to run again at once (AppEnvironmentReconciler). At 1,000
 * environments these events were a third of all reconciles (docs/benchmarks.md).
 *
 * <p>An event is ours when it changes nothing but the status, to the status we sent. The status is
 * noted before it is sent: the watch event can arrive before the write's response does. A status
 * written by anyone else (the Alertmanager webhook's rollback) differs and wakes the reconcile.
 */
public final class OwnStatusWrites implements OnUpdateFilter<AppEnvironment> {
  private final Map<ResourceID, AppEnvironmentStatus> writing = new ConcurrentHashMap<>();

  /** Before the write. */
  public void writing(AppEnvironment env, AppEnvironmentStatus status) {
    writing.put(ResourceID.fromResource(env), status);
  }

  /** After a failed write (no event of it will come), and when the environment is deleted. */
  public void forget(AppEnvironment env) {
    writing.remove(ResourceID.fromResource(env));
  }

  /** False for the event of our own write, which is seen once and then forgotten. */
  @Override
  public boolean accept(AppEnvironment updated, AppEnvironment old) {
    ResourceID id = ResourceID.fromResource(updated);
    AppEnvironmentStatus ours = writing.get(id);
    boolean ownWrite =
        ours != null
            && ours.equals(updated.getStatus())
            && StatusUpdatesIgnored.sameSpecAndMetadata(updated.getMetadata(), old.getMetadata());
    return !(ownWrite && writing.remove(id, ours));
  }
}
