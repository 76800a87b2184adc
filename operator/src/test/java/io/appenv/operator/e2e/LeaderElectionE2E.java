package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.Samples;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
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
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();

    try (InProcessOperator first = InProcessOperator.withLeaderElection(NS, "replica-a")) {
      await().atMost(TIMEOUT).until(() -> "replica-a".equals(holder(client)));
      InProcessOperator second = InProcessOperator.withLeaderElection(NS, "replica-b");
      try {
        create(client, "led-by-a");
        await().atMost(TIMEOUT).until(() -> ready(client, "led-by-a"));
        assertThat(second.successfulReconciles()).as("the standby reconciles nothing").isZero();

        first.close();
        // Stopped, the first gave the Lease up (LeaseRelease): it is free or already the
        // standby's, never left to run out under the first's name.
        assertThat(holder(client))
            .as("the Lease's holder once the leader stopped")
            .isNotEqualTo("replica-a");
        await().atMost(TIMEOUT).until(() -> "replica-b".equals(holder(client)));
        create(client, "led-by-b");
        await().atMost(TIMEOUT).until(() -> ready(client, "led-by-b"));
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

  private static void create(KubernetesClient client, String name) {
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("minimal.yaml"));
    env.getMetadata().setNamespace(NS);
    env.getMetadata().setName(name);
    client.resource(env).create();
  }

  private static boolean ready(KubernetesClient client, String name) {
    AppEnvironment env =
        client.resources(AppEnvironment.class).inNamespace(NS).withName(name).get();
    return env != null
        && env.getStatus() != null
        && Conditions.isTrue(env.getStatus().getConditions(), ConditionType.READY);
  }
}
