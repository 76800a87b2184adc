package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two replicas share one Lease: one reconciles, the other takes over when the first goes away. */
@Tag("e2e")
class LeaderElectionE2E {
  private static final String NS = "e2e-leader";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void onlyTheLeaderReconcilesAndAStandbyTakesOver() {
    KubernetesClient client = LocalCluster.client();
    SampleEnvironments.namespace(client, NS);

    try (InProcessOperator first = InProcessOperator.withLeaderElection(NS, "replica-a")) {
      await().atMost(TIMEOUT).until(() -> "replica-a".equals(holder(client)));
      InProcessOperator second = InProcessOperator.withLeaderElection(NS, "replica-b");
      try {
        LiveEnvironment ledByA = create(client, "led-by-a");
        await().atMost(TIMEOUT).until(ledByA::ready);
        assertThat(second.successfulReconciles()).as("the standby reconciles nothing").isZero();

        first.close();
        // Stopped, the first gave the Lease up (LeaseRelease): it is free or already the
        // standby's, never left to run out under the first's name.
        assertThat(holder(client))
            .as("the Lease's holder once the leader stopped")
            .isNotEqualTo("replica-a");
        await().atMost(TIMEOUT).until(() -> "replica-b".equals(holder(client)));
        LiveEnvironment ledByB = create(client, "led-by-b");
        await().atMost(TIMEOUT).until(ledByB::ready);
        assertThat(second.successfulReconciles()).isPositive();
      } finally {
        second.close();
      }
    }
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace(NS).withName("appenv-e2e").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static LiveEnvironment create(KubernetesClient client, String name) {
    client.resource(SampleEnvironments.minimal(NS, name)).create();
    return new LiveEnvironment(client, NS, name);
  }
}
