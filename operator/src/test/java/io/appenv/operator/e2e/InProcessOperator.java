package io.appenv.operator.e2e;

import io.appenv.operator.CompactObjects;
import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorProperties;
import io.appenv.operator.OperatorTestSupport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The production operator, with server-side apply, running in the test JVM against the local
 * cluster.
 */
final class InProcessOperator implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Operator operator;
  private final KubernetesClient client;

  private InProcessOperator(OperatorProperties.LeaderElection leaderElection) {
    this(CompactObjects.clientBuilder().withConfig(LocalCluster.config()).build(), leaderElection);
  }

  /**
   * With a client of the caller's, e.g. one that impersonates the operator's ServiceAccount; closed
   * with it.
   */
  InProcessOperator(KubernetesClient client, OperatorProperties.LeaderElection leaderElection) {
    this.client = client;
    operator =
        OperatorFactory.create(
            client,
            registry,
            new OperatorProperties(List.of(), leaderElection, true),
            Clock.systemUTC());
    operator.start();
  }

  static InProcessOperator start() {
    return new InProcessOperator(
        OperatorTestSupport.leaderElection(false, "appenv-operator", "", ""));
  }

  static InProcessOperator withLeaderElection(String namespace, String identity) {
    return new InProcessOperator(
        OperatorTestSupport.leaderElection(true, "appenv-e2e", namespace, identity));
  }

  double successfulReconciles() {
    return OperatorTestSupport.successfulReconciles(registry);
  }

  @Override
  public void close() {
    operator.stop();
    client.close();
  }

  /**
   * One operator for the tests of a class ({@code @RegisterExtension static final}): started on the
   * local cluster before them, stopped after them; a test may restart it.
   */
  static final class PerClass implements BeforeAllCallback, AfterAllCallback {
    private InProcessOperator running;

    @Override
    public void beforeAll(ExtensionContext context) {
      LocalCluster.client(); // starts the cluster, whose kubeconfig the operator's client reads
      running = InProcessOperator.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      if (running != null) {
        running.close();
      }
    }

    /** Stops the operator and starts a new one, as a new Pod of it would. */
    void restart() {
      running.close();
      running = InProcessOperator.start();
    }

    SimpleMeterRegistry registry() {
      return running.registry;
    }

    double successfulReconciles() {
      return running.successfulReconciles();
    }
  }
}
