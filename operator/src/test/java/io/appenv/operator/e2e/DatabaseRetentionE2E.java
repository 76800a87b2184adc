package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.api.DeletionPolicy;
import io.appenv.operator.names.Names;
import io.appenv.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database's deletionPolicy against a real control plane: with Retain its volume and
 * credentials outlive the AppEnvironment and a new one adopts them; with Delete they go with it.
 */
@Tag("e2e")
class DatabaseRetentionE2E {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String NS = "e2e-db";

  @RegisterExtension
  static final InProcessOperator.PerClass operator = new InProcessOperator.PerClass();

  @Test
  void retainedDatabaseVolumesOutliveTheEnvironmentAndComeBackWithIt() {
    KubernetesClient client = LocalCluster.client();
    SampleEnvironments.namespace(client, NS);
    LiveEnvironment keep = create("keep", DeletionPolicy.Retain);
    LiveEnvironment drop = create("drop", DeletionPolicy.Delete);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                keep.isTrue(ConditionType.DATABASE_READY)
                    && drop.isTrue(ConditionType.DATABASE_READY));
    String claimUid = claim(keep).getMetadata().getUid();
    String secretUid = credentials(keep).getMetadata().getUid();

    keep.delete();
    drop.delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(keep.child(StatefulSet.class, Names.database(keep.named()))).isNull();
              assertThat(claim(drop)).as("Delete removes the volume").isNull();
              assertThat(credentials(drop)).isNull();
            });
    assertThat(claim(keep)).as("Retain keeps the volume").isNotNull();
    assertThat(credentials(keep)).as("and the passwords its roles know").isNotNull();

    create("keep", DeletionPolicy.Retain);
    await().atMost(TIMEOUT).until(() -> keep.isTrue(ConditionType.DATABASE_READY));
    assertThat(claim(keep).getMetadata().getUid())
        .as("the same volume, adopted")
        .isEqualTo(claimUid);
    assertThat(credentials(keep).getMetadata().getUid()).isEqualTo(secretUid);
  }

  private static LiveEnvironment create(String name, DeletionPolicy policy) {
    KubernetesClient client = LocalCluster.client();
    client.resource(SampleEnvironments.withDatabase(NS, name, policy)).create();
    return new LiveEnvironment(client, NS, name);
  }

  /** The database's volume claim (the StatefulSet's first), or null. */
  private static PersistentVolumeClaim claim(LiveEnvironment env) {
    return env.child(PersistentVolumeClaim.class, env.databaseClaim());
  }

  private static Secret credentials(LiveEnvironment env) {
    return env.child(Secret.class, Names.databaseCredentials(env.named()));
  }
}
