package io.appenv.operator.informers;

import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The informer of a dependent with an activation condition (the ServiceMonitor, the PrometheusRule,
 * the Velero Schedule: their CRDs are optional). JOSDK 5.2.3 registers such an informer again in
 * every reconcile, and each registration calls {@code start()}, which for a running {@link
 * InformerEventSource} maps its whole cache back to the environments again, under the informer's
 * lock. At 1,000 environments that was three passes over 1,000 objects per reconcile, with the
 * reconciles queued behind each other (docs/benchmarks.md). This one starts once.
 */
public final class StartOnceInformer<R extends HasMetadata>
    extends InformerEventSource<R, AppEnvironment> {

  private StartOnceInformer(
      InformerEventSource<R, AppEnvironment> built, EventSourceContext<AppEnvironment> context) {
    super(built.configuration(), context);
  }

  /** The informer JOSDK built for a dependent (not started yet), as one that starts once. */
  public static <R extends HasMetadata> InformerEventSource<R, AppEnvironment> of(
      InformerEventSource<R, AppEnvironment> built, EventSourceContext<AppEnvironment> context) {
    return new StartOnceInformer<>(built, context);
  }

  @Override
  public synchronized void start() {
    if (!isRunning()) {
      super.start();
    }
  }
}
