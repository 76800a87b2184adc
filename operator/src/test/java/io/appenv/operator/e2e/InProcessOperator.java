package io.appenv.operator.e2e;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The production operator, with server-side apply, running in the test JVM against the local cluster. */
final class InProcessOperator implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Operator operator;
  private final KubernetesClient client;

  private InProcessOperator(OperatorProperties.LeaderElection leaderElection) {
    client = new KubernetesClientBuilder().withConfig(LocalCluster.config()).build();
    operator = OperatorFactory.create(client, registry,
        new OperatorProperties(List.of(), leaderElection, true), Clock.systemUTC());
    operator.start();
  }

  static InProcessOperator start() {
    return new InProcessOperator(new OperatorProperties.LeaderElection(false, "appenv-operator", "", "",
        Duration.ofSeconds(15), false));
  }

  static InProcessOperator withLeaderElection(String namespace, String identity) {
    return new InProcessOperator(new OperatorProperties.LeaderElection(true, "appenv-e2e", namespace, identity,
        Duration.ofSeconds(6), false));
  }

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
    client.close();
  }
}
