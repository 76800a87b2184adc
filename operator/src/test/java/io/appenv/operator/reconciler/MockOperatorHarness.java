package io.appenv.operator.reconciler;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;

/** The production operator, pointed at fabric8's mock API server, which has no server-side apply. */
final class MockOperatorHarness implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Operator operator;

  MockOperatorHarness(KubernetesClient client) {
    OperatorProperties properties = new OperatorProperties(List.of(),
        new OperatorProperties.LeaderElection(false, "appenv-operator", "", "", java.time.Duration.ofSeconds(15), false), false);
    operator = OperatorFactory.create(client, registry, properties, Clock.systemUTC());
    operator.start();
  }

  /** Reconciles that finished successfully, counted by JOSDK's own Micrometer metrics. */
  double successfulReconciles() {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().endsWith("reconciliations.success"))
        .filter(Counter.class::isInstance)
        .mapToDouble(m -> ((Counter) m).count())
        .sum();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
