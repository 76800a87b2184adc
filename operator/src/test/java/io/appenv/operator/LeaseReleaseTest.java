package io.appenv.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaseReleaseTest {
  private static final String NS = "appenv-system";
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  KubernetesClient client;

  @Test
  void theHolderLeavesTheLeaseWithoutHolderAndWithASecondLeft() {
    lease("operator-a", 15, 3);

    assertThat(release("operator-a")).isTrue();

    Lease released = client.leases().inNamespace(NS).withName("appenv-operator").get();
    assertThat(released.getSpec().getHolderIdentity()).isEmpty();
    assertThat(released.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    assertThat(released.getSpec().getRenewTime().toInstant()).isEqualTo(NOW);
    assertThat(released.getSpec().getLeaseTransitions()).isEqualTo(3);
  }

  @Test
  void aLeaseAnotherReplicaHoldsIsLeftToIt() {
    lease("operator-b", 15, 4);

    assertThat(release("operator-a")).isFalse();

    Lease kept = client.leases().inNamespace(NS).withName("appenv-operator").get();
    assertThat(kept.getSpec().getHolderIdentity()).isEqualTo("operator-b");
    assertThat(kept.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
  }

  @Test
  void withoutALeaseThereIsNothingToRelease() {
    assertThat(release("operator-a")).isFalse();
    assertThat(client.leases().inNamespace(NS).withName("appenv-operator").get()).isNull();
  }

  @Test
  void aClosedClientIsReportedNotThrown() {
    lease("operator-a", 15, 3);
    client.close();

    assertThat(release("operator-a")).isFalse();
  }

  private boolean release(String identity) {
    return new LeaseRelease(
            client, NS, "appenv-operator", identity, Clock.fixed(NOW, ZoneOffset.UTC))
        .run();
  }

  private void lease(String holder, int seconds, int transitions) {
    ZonedDateTime renewed = NOW.minusSeconds(2).atZone(ZoneOffset.UTC);
    client
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("appenv-operator")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds(seconds)
                .withAcquireTime(renewed)
                .withRenewTime(renewed)
                .withLeaseTransitions(transitions)
                .endSpec()
                .build())
        .create();
  }
}
