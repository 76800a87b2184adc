package io.appenv.operator.reconciler;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorTestSupport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;

/**
 * The production operator, pointed at fabric8's mock API server, which has no server-side apply.
 */
final class MockOperatorHarness implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Operator operator;

  MockOperatorHarness(KubernetesClient client) {
    this(client, Clock.systemUTC());
  }

  MockOperatorHarness(KubernetesClient client, Clock clock) {
    operator =
        OperatorFactory.create(
            client, registry, OperatorTestSupport.properties(List.of(), false), clock);
    operator.start();
  }

  double successfulReconciles() {
    return OperatorTestSupport.successfulReconciles(registry);
  }

  @Override
  public void close() {
    operator.stop();
  }
}
