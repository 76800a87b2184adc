package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.FieldManager;
import io.appenv.operator.names.Labels;
import io.appenv.operator.release.ReleaseResult;
import io.appenv.operator.webhook.RollbackService;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blue/green releases of the dev sample against a real control plane with kwok Pods: a release
 * promotes the new colour and scales the old one down after its delay, an alert rolls traffic back
 * and only a new image releases again, and a release with migrations waits for its backup Job. Each
 * test has an environment of its own.
 */
@Tag("e2e")
class BlueGreenReleaseE2E {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final InProcessOperator.PerClass operator = new InProcessOperator.PerClass();

  @Test
  void aReleasePromotesTheNewColourAndScalesTheOldOneDownAfterTheDelay() {
    LiveEnvironment env =
        SampleEnvironments.createDev(
            LocalCluster.client(),
            "e2e-bluegreen",
            e -> e.getSpec().getRelease().setScaleDownDelay("5s"));
    await().atMost(TIMEOUT).until(env::ready);

    env.setImage("ghcr.io/appenv/telemetry:0.2.0");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(env.activeColor()).isEqualTo("green");
              assertThat(env.activeImage()).endsWith(":0.2.0");
              assertThat(env.servingColor()).isEqualTo("green");
              assertThat(
                      LocalCluster.client()
                          .pods()
                          .inNamespace("e2e-bluegreen")
                          .withLabel(Labels.COLOR, "green")
                          .list()
                          .getItems())
                  .hasSize(1);
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(env.replicas(Color.BLUE))
                    .as("blue scaled down after scaleDownDelay")
                    .isZero());
    assertThat(env.history())
        .extracting(ReleaseRecord::getResult)
        .containsExactly(ReleaseResult.SUCCEEDED, ReleaseResult.SUCCEEDED);
  }

  @Test
  void anAlertRollsTrafficBackAndOnlyANewImageReleasesAgain() {
    KubernetesClient client = LocalCluster.client();
    LiveEnvironment env = SampleEnvironments.createDev(client, "e2e-rollback", e -> {});
    await().atMost(TIMEOUT).until(env::ready);
    env.setImage("ghcr.io/appenv/telemetry:0.2.0");
    await().atMost(TIMEOUT).until(() -> "green".equals(env.activeColor()));

    RollbackService rollbacks = FiringAlert.rollbackService(client);
    RollbackService.Outcome outcome =
        rollbacks.handle(FiringAlert.of(env.namespace(), env.name()).alert(Instant.now(), "e2e"));

    assertThat(outcome.rolledBack())
        .as(outcome.reason() + " status: " + env.describeStatus())
        .isTrue();
    assertThat(env.servingColor()).as("switched by the webhook's own write").isEqualTo("blue");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(env.phase()).isEqualTo(Phase.RolledBack);
              assertThat(env.replicas(Color.GREEN)).isZero();
              assertThat(env.servingColor()).isEqualTo("blue");
            });
    Service service = env.service();
    assertThat(service.getMetadata().getManagedFields())
        .as("one writer of where traffic goes")
        .extracting(ManagedFieldsEntry::getManager)
        .containsOnly(FieldManager.APPENV);
    assertThat(service.getMetadata().getOwnerReferences())
        .as("still garbage-collected with the environment")
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo(env.name()));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var registry = operator.registry();
              assertThat(
                      registry
                          .find("appenv.rollbacks")
                          .tag("appenv_namespace", env.namespace())
                          .counter())
                  .as("the rollback counted once the operator saw it stored")
                  .isNotNull()
                  .satisfies(c -> assertThat(c.count()).isEqualTo(1));
              assertThat(
                      registry
                          .find("appenv.time.to.restore")
                          .tag("appenv_namespace", env.namespace())
                          .timer())
                  .isNotNull()
                  .satisfies(t -> assertThat(t.count()).isEqualTo(1));
              assertThat(
                      registry
                          .find("appenv.deployments")
                          .tag("appenv_namespace", env.namespace())
                          .tag("result", "succeeded")
                          .counter())
                  .as("0.2.0 promoted")
                  .isNotNull()
                  .satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(1));
            });

    env.setImage("ghcr.io/appenv/telemetry:0.3.0");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(env.activeImage()).endsWith(":0.3.0");
              assertThat(env.phase()).isEqualTo(Phase.Ready);
              assertThat(
                      env.status().map(AppEnvironmentStatus::getRejectedImages).orElse(List.of()))
                  .containsExactly("ghcr.io/appenv/telemetry:0.2.0");
            });
  }

  @Test
  void withMigrationsTheReleaseWaitsForItsBackupJob() {
    LiveEnvironment env =
        SampleEnvironments.createDev(
            LocalCluster.client(),
            "e2e-migrations",
            e -> e.getSpec().getRelease().setMigrations(true));
    await().atMost(TIMEOUT).until(env::ready);

    env.setImage("ghcr.io/appenv/telemetry:0.2.0");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(env.activeImage()).endsWith(":0.2.0");
              assertThat(env.newestRelease())
                  .map(ReleaseRecord::getPreReleaseBackup)
                  .contains("telemetry-prerelease-2");
            });
    Job job = env.child(Job.class, "telemetry-prerelease-2");
    assertThat(job.getStatus().getSucceeded()).as("kwok completed the backup Pod").isEqualTo(1);
  }
}
