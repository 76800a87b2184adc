package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Rolling environment against a real control plane with kwok Pods: an image change is a
 * Deployment rollout, a child deleted by hand is repaired, and deleting the environment lets
 * garbage collection take every child. Each test has a namespace of its own.
 */
@Tag("e2e")
class RollingReleaseE2E {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final InProcessOperator.PerClass operator = new InProcessOperator.PerClass();

  /** The minimal sample (Rolling, a database) with {@code replicas}, created in a new namespace. */
  private static LiveEnvironment createRolling(String namespace, String name, int replicas) {
    KubernetesClient client = LocalCluster.client();
    SampleEnvironments.namespace(client, namespace);
    AppEnvironment env = SampleEnvironments.minimal(namespace, name);
    env.getSpec().getApp().setReplicas(replicas);
    client.resource(env).create();
    return new LiveEnvironment(client, namespace, name);
  }

  @Test
  void anImageChangeRollsOutANewReplicaSet() {
    LiveEnvironment shop = createRolling("e2e-rollout", "shop", 2);
    await().atMost(TIMEOUT).until(shop::ready);

    shop.setImage("ghcr.io/appenv/telemetry:0.2.0");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(shop.ready()).isTrue();
              var replicaSets =
                  LocalCluster.client()
                      .apps()
                      .replicaSets()
                      .inNamespace("e2e-rollout")
                      .list()
                      .getItems();
              assertThat(replicaSets).hasSize(2);
              assertThat(replicaSets)
                  .filteredOn(rs -> image(rs).endsWith(":0.2.0"))
                  .singleElement()
                  .satisfies(
                      current ->
                          assertThat(
                                  Optional.ofNullable(current.getStatus())
                                      .map(ReplicaSetStatus::getReadyReplicas))
                              .as("ready replicas of the new ReplicaSet")
                              .contains(2));
            });
  }

  @Test
  void aChildDeletedByHandComesBack() {
    LiveEnvironment shop = createRolling("e2e-drift", "shop", 1);
    await().atMost(TIMEOUT).until(shop::ready);
    String oldUid = shop.service().getMetadata().getUid();

    LocalCluster.client().services().inNamespace("e2e-drift").withName("shop").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Service service = shop.service();
              assertThat(service).isNotNull();
              assertThat(service.getMetadata().getUid()).isNotEqualTo(oldUid);
            });
  }

  @Test
  void deletingTheEnvironmentGarbageCollectsItsChildren() {
    LiveEnvironment shop = createRolling("e2e-delete", "shop", 2);
    await().atMost(TIMEOUT).until(shop::ready);

    shop.delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(shop.child(Deployment.class, "shop")).isNull();
              assertThat(shop.child(Service.class, "shop")).isNull();
              assertThat(shop.child(PodDisruptionBudget.class, "shop")).isNull();
              assertThat(shop.child(NetworkPolicy.class, "shop")).isNull();
              assertThat(LocalCluster.client().pods().inNamespace("e2e-delete").list().getItems())
                  .isEmpty();
            });
  }

  private static String image(ReplicaSet replicaSet) {
    return replicaSet.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
