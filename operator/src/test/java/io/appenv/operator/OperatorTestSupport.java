package io.appenv.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;

/** What the tests that run a whole operator share. */
public final class OperatorTestSupport {
  private OperatorTestSupport() {}

  /** Settings of one operator without leader election. */
  public static OperatorProperties properties(List<String> namespaces, boolean serverSideApply) {
    return new OperatorProperties(
        namespaces, leaderElection(false, "appenv-operator", "", ""), serverSideApply);
  }

  /**
   * The same settings with another resync interval (tests that watch a quiet cluster over several).
   */
  public static OperatorProperties withResyncInterval(OperatorProperties p, Duration interval) {
    return new OperatorProperties(
        p.watchNamespaces(),
        p.leaderElection(),
        p.serverSideApply(),
        p.webhook(),
        p.images(),
        interval,
        p.monitoring());
  }

  /** Leader election that does not end the test JVM when leadership is lost. */
  public static OperatorProperties.LeaderElection leaderElection(
      boolean enabled, String lease, String namespace, String identity) {
    return new OperatorProperties.LeaderElection(
        enabled, lease, namespace, identity, Duration.ofSeconds(6), false);
  }

  /** Reconciles that finished successfully, counted by JOSDK's own Micrometer metrics. */
  public static double successfulReconciles(MeterRegistry registry) {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().endsWith("reconciliations.success"))
        .filter(Counter.class::isInstance)
        .mapToDouble(m -> ((Counter) m).count())
        .sum();
  }
}
