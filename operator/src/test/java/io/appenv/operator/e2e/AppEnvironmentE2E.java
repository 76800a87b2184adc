package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.Samples;
import io.appenv.operator.Tools;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.DeletionPolicy;
import io.appenv.operator.api.Phase;
import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.names.AlertLabels;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.status.Conditions;
import io.appenv.operator.upstream.PrometheusRule;
import io.appenv.operator.upstream.VeleroSchedule;
import io.appenv.operator.webhook.RollbackService;
import io.appenv.operator.writers.Writers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator against a real control plane: server-side apply, schema, garbage collection and
 * Deployment rollouts with kwok Pods.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppEnvironmentE2E {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static KubernetesClient client;
  private static InProcessOperator operator;

  @BeforeAll
  static void startOperator() {
    client = LocalCluster.client();
    operator = InProcessOperator.start();
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  private static AppEnvironment applySample(String file) {
    AppEnvironment env = null;
    for (HasMetadata object : Samples.objects(Samples.samplesDir().resolve(file))) {
      client.resource(object).serverSideApply();
      if ("AppEnvironment".equals(object.getKind())) {
        env = Samples.appEnvironment(Samples.samplesDir().resolve(file));
      }
    }
    return env;
  }

  private static AppEnvironment get(String namespace, String name) {
    return client.resources(AppEnvironment.class).inNamespace(namespace).withName(name).get();
  }

  private static boolean ready(String namespace, String name) {
    AppEnvironment env = get(namespace, name);
    return env != null
        && env.getStatus() != null
        && Conditions.isTrue(env.getStatus().getConditions(), ConditionType.READY)
        && env.getMetadata().getGeneration().equals(env.getStatus().getObservedGeneration());
  }

  /**
   * A spec change as `kubectl patch --type merge` makes it: no resourceVersion, so no race with
   * status writes.
   */
  private static void setImage(String namespace, String name, String image) {
    client
        .resources(AppEnvironment.class)
        .inNamespace(namespace)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"app\":{\"image\":\"" + image + "\"}}}");
  }

  private static <T extends HasMetadata> T child(Class<T> type, String namespace, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  private static void createNamespace(String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  /**
   * samples/dev.yaml (blue/green, a database, backups) in a namespace of its own, changed where it
   * matters.
   */
  private static AppEnvironment createDevSample(
      String namespace, java.util.function.Consumer<AppEnvironment> change) {
    createNamespace(namespace);
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("dev.yaml"));
    env.getMetadata().setNamespace(namespace);
    change.accept(env);
    return client.resource(env).create();
  }

  private static AppEnvironment createRolling(String namespace, String name, int replicas) {
    createNamespace(namespace);
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("minimal.yaml"));
    env.getMetadata().setNamespace(namespace);
    env.getMetadata().setName(name);
    env.getSpec().getApp().setReplicas(replicas);
    return client.resource(env).create();
  }

  @Test
  @Order(1)
  void prodSampleBecomesReadyWithEveryChildAcceptedByTheApiServer() {
    applySample("prod.yaml");

    await().atMost(TIMEOUT).until(() -> ready("telemetry-prod", "telemetry"));
    Deployment deployment = child(Deployment.class, "telemetry-prod", "telemetry-blue");
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(3);
    Service service = child(Service.class, "telemetry-prod", "telemetry");
    assertThat(service.getSpec().getClusterIP()).isNotBlank();
    assertThat(service.getSpec().getSelector()).containsEntry("platform.appenv.io/color", "blue");
    assertThat(child(Service.class, "telemetry-prod", "telemetry-preview")).isNotNull();
    assertThat(get("telemetry-prod", "telemetry").getStatus().getActiveColor()).isEqualTo("blue");
    assertThat(
            child(PodDisruptionBudget.class, "telemetry-prod", "telemetry")
                .getStatus()
                .getExpectedPods())
        .isEqualTo(3);
    assertThat(child(NetworkPolicy.class, "telemetry-prod", "telemetry")).isNotNull();
    assertThat(
            client
                .pods()
                .inNamespace("telemetry-prod")
                .withLabel("app.kubernetes.io/instance", "telemetry")
                .withLabel("app.kubernetes.io/component", "app")
                .list()
                .getItems())
        .hasSize(3)
        .allSatisfy(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Running"));
    assertThat(get("telemetry-prod", "telemetry").getStatus().getPhase()).isEqualTo(Phase.Ready);
    assertThat(
            client
                .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace("telemetry-prod")
                .withName("telemetry")
                .get())
        .as("accepted by the upstream CRD")
        .isNotNull();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Conditions.isTrue(
                    get("telemetry-prod", "telemetry").getStatus().getConditions(),
                    ConditionType.MONITORING_INSTALLED));
    PrometheusRule rules =
        client
            .resources(PrometheusRule.class)
            .inNamespace("telemetry-prod")
            .withName("telemetry")
            .get();
    assertThat(rules).as("accepted by the upstream CRD").isNotNull();
    assertThat(rules.getSpec().getGroups().get(0).getRules())
        .extracting(r -> r.getAlert())
        .contains("AppErrorRateHigh", "DatabaseDown", "BackupFailing", "IngestionStalled");
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Conditions.isTrue(
                    get("telemetry-prod", "telemetry").getStatus().getConditions(),
                    ConditionType.ALERTS_INSTALLED));
    assertThat(
            Conditions.isTrue(
                get("telemetry-prod", "telemetry").getStatus().getConditions(),
                ConditionType.DATABASE_READY))
        .isTrue();
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace("telemetry-prod")
                .withName("data-telemetry-db-0")
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo("Bound");
    assertThat(
            client
                .batch()
                .v1()
                .cronjobs()
                .inNamespace("telemetry-prod")
                .withName("telemetry-backup")
                .get()
                .getSpec()
                .getSchedule())
        .isEqualTo("0 2 * * *");
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace("telemetry-prod")
                .withName("telemetry-backup")
                .get())
        .isNotNull();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        Conditions.find(
                            get("telemetry-prod", "telemetry").getStatus().getConditions(),
                            ConditionType.BACKUP_HEALTHY))
                    .get()
                    .satisfies(c -> assertThat(c.getReason()).isEqualTo("FirstBackupPending")));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace("telemetry-prod")
                            .withLabel("app.kubernetes.io/component", "database-admin")
                            .list()
                            .getItems())
                    .as("the roles Job, run once the database is up")
                    .singleElement()
                    .satisfies(
                        job ->
                            assertThat(job.getMetadata().getName())
                                .startsWith("telemetry-db-roles-")));
    VeleroSchedule schedule =
        client
            .resources(VeleroSchedule.class)
            .inNamespace("velero")
            .withName("appenv-telemetry-prod-telemetry")
            .get();
    assertThat(schedule).as("accepted by Velero's CRD").isNotNull();
    assertThat(schedule.getSpec().getTemplate().getIncludedNamespaces())
        .containsExactly("telemetry-prod");
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Conditions.isTrue(
                    get("telemetry-prod", "telemetry").getStatus().getConditions(),
                    ConditionType.VELERO_SCHEDULE_INSTALLED));
  }

  @Test
  @Order(2)
  void anImageChangeRollsOutANewReplicaSet() {
    createRolling("e2e-rollout", "shop", 2);
    await().atMost(TIMEOUT).until(() -> ready("e2e-rollout", "shop"));

    setImage("e2e-rollout", "shop", "ghcr.io/appenv/telemetry:0.2.0");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(ready("e2e-rollout", "shop")).isTrue();
              List<ReplicaSet> replicaSets =
                  client.apps().replicaSets().inNamespace("e2e-rollout").list().getItems();
              assertThat(replicaSets).hasSize(2);
              ReplicaSet current =
                  replicaSets.stream()
                      .filter(
                          rs ->
                              rs.getSpec()
                                  .getTemplate()
                                  .getSpec()
                                  .getContainers()
                                  .get(0)
                                  .getImage()
                                  .endsWith(":0.2.0"))
                      .findFirst()
                      .orElseThrow();
              assertThat(current.getStatus().getReadyReplicas()).isEqualTo(2);
            });
  }

  @Test
  @Order(3)
  void aChildDeletedByHandComesBack() {
    createRolling("e2e-drift", "shop", 1);
    await().atMost(TIMEOUT).until(() -> ready("e2e-drift", "shop"));
    String oldUid = child(Service.class, "e2e-drift", "shop").getMetadata().getUid();

    client.services().inNamespace("e2e-drift").withName("shop").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Service service = child(Service.class, "e2e-drift", "shop");
              assertThat(service).isNotNull();
              assertThat(service.getMetadata().getUid()).isNotEqualTo(oldUid);
            });
  }

  @Test
  @Order(4)
  void deletingTheEnvironmentGarbageCollectsItsChildren() {
    createRolling("e2e-delete", "shop", 2);
    await().atMost(TIMEOUT).until(() -> ready("e2e-delete", "shop"));

    client.resources(AppEnvironment.class).inNamespace("e2e-delete").withName("shop").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(child(Deployment.class, "e2e-delete", "shop")).isNull();
              assertThat(child(Service.class, "e2e-delete", "shop")).isNull();
              assertThat(child(PodDisruptionBudget.class, "e2e-delete", "shop")).isNull();
              assertThat(child(NetworkPolicy.class, "e2e-delete", "shop")).isNull();
              assertThat(client.pods().inNamespace("e2e-delete").list().getItems()).isEmpty();
            });
  }

  @Test
  @Order(5)
  void blueGreenReleasePromotesTheNewColourAndScalesTheOldOneDownAfterTheDelay() {
    createDevSample("e2e-bluegreen", env -> env.getSpec().getRelease().setScaleDownDelay("5s"));
    await().atMost(TIMEOUT).until(() -> ready("e2e-bluegreen", "telemetry"));

    setImage("e2e-bluegreen", "telemetry", "ghcr.io/appenv/telemetry:0.2.0");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              AppEnvironment promoted = get("e2e-bluegreen", "telemetry");
              assertThat(promoted.getStatus().getActiveColor()).isEqualTo("green");
              assertThat(promoted.getStatus().getActiveRelease().getImage()).endsWith(":0.2.0");
              assertThat(child(Service.class, "e2e-bluegreen", "telemetry").getSpec().getSelector())
                  .containsEntry("platform.appenv.io/color", "green");
              assertThat(
                      client
                          .pods()
                          .inNamespace("e2e-bluegreen")
                          .withLabel("platform.appenv.io/color", "green")
                          .list()
                          .getItems())
                  .hasSize(1);
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        child(Deployment.class, "e2e-bluegreen", "telemetry-blue")
                            .getSpec()
                            .getReplicas())
                    .as("blue scaled down after scaleDownDelay")
                    .isZero());
    assertThat(get("e2e-bluegreen", "telemetry").getStatus().getHistory())
        .extracting(r -> r.getResult())
        .containsExactly("Succeeded", "Succeeded");
  }

  @Test
  @Order(6)
  void anAlertRollsTrafficBackAndOnlyANewImageReleasesAgain() {
    createDevSample("e2e-rollback", env -> {});
    await().atMost(TIMEOUT).until(() -> ready("e2e-rollback", "telemetry"));
    setImage("e2e-rollback", "telemetry", "ghcr.io/appenv/telemetry:0.2.0");
    await()
        .atMost(TIMEOUT)
        .until(() -> "green".equals(get("e2e-rollback", "telemetry").getStatus().getActiveColor()));

    RollbackService rollbacks =
        new RollbackService(
            client,
            new EventRecorder(client, Clock.systemUTC()),
            Clock.systemUTC(),
            AlertLabels.ORIGIN_NAMESPACE,
            Writers.of(client, true));
    Instant started = Instant.now();
    RollbackService.Outcome outcome =
        rollbacks.handle(
            new io.appenv.operator.release.Alert(
                "firing",
                Map.of(
                    "alertname",
                    "HighErrorRate",
                    "severity",
                    "critical",
                    "appenv_rollback",
                    "true",
                    "appenv_namespace",
                    "e2e-rollback",
                    "appenv_name",
                    "telemetry",
                    "namespace",
                    "e2e-rollback"),
                started,
                "e2e"));

    assertThat(outcome.rolledBack())
        .as(
            outcome.reason()
                + " status: "
                + io.fabric8.kubernetes.client.utils.Serialization.asYaml(
                    get("e2e-rollback", "telemetry").getStatus()))
        .isTrue();
    assertThat(child(Service.class, "e2e-rollback", "telemetry").getSpec().getSelector())
        .as("switched by the webhook's own write")
        .containsEntry("platform.appenv.io/color", "blue");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              AppEnvironment rolledBack = get("e2e-rollback", "telemetry");
              assertThat(rolledBack.getStatus().getPhase()).isEqualTo(Phase.RolledBack);
              assertThat(
                      child(Deployment.class, "e2e-rollback", "telemetry-green")
                          .getSpec()
                          .getReplicas())
                  .isZero();
              assertThat(child(Service.class, "e2e-rollback", "telemetry").getSpec().getSelector())
                  .containsEntry("platform.appenv.io/color", "blue");
            });
    Service service = child(Service.class, "e2e-rollback", "telemetry");
    assertThat(service.getMetadata().getManagedFields())
        .as("one writer of where traffic goes")
        .extracting(io.fabric8.kubernetes.api.model.ManagedFieldsEntry::getManager)
        .containsOnly(io.appenv.operator.names.FieldManager.APPENV);
    assertThat(service.getMetadata().getOwnerReferences())
        .as("still garbage-collected with the environment")
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("telemetry"));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(
                      operator
                          .registry
                          .find("appenv.rollbacks")
                          .tag("appenv_namespace", "e2e-rollback")
                          .counter())
                  .as("the rollback counted once the operator saw it stored")
                  .isNotNull()
                  .satisfies(c -> assertThat(c.count()).isEqualTo(1));
              assertThat(
                      operator
                          .registry
                          .find("appenv.time.to.restore")
                          .tag("appenv_namespace", "e2e-rollback")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      operator
                          .registry
                          .find("appenv.deployments")
                          .tag("appenv_namespace", "e2e-rollback")
                          .tag("result", "succeeded")
                          .counter()
                          .count())
                  .as("0.2.0 promoted")
                  .isGreaterThanOrEqualTo(1);
            });

    setImage("e2e-rollback", "telemetry", "ghcr.io/appenv/telemetry:0.3.0");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              AppEnvironment fixed = get("e2e-rollback", "telemetry");
              assertThat(fixed.getStatus().getActiveRelease().getImage()).endsWith(":0.3.0");
              assertThat(fixed.getStatus().getPhase()).isEqualTo(Phase.Ready);
              assertThat(fixed.getStatus().getRejectedImages())
                  .containsExactly("ghcr.io/appenv/telemetry:0.2.0");
            });
  }

  @Test
  @Order(7)
  void anOperatorRestartedInTheMiddleOfAReleaseCarriesOnWithItsHistory() {
    createDevSample("e2e-restart", env -> env.getSpec().getRelease().setAutoPromote(false));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                "Progressing"
                        .equals(
                            String.valueOf(get("e2e-restart", "telemetry").getStatus().getPhase()))
                    && get("e2e-restart", "telemetry").getStatus().getHistory().size() == 1);
    client
        .resources(AppEnvironment.class)
        .inNamespace("e2e-restart")
        .withName("telemetry")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"platform.appenv.io/promote\":\"1\"}}}");
    await().atMost(TIMEOUT).until(() -> ready("e2e-restart", "telemetry"));
    setImage("e2e-restart", "telemetry", "ghcr.io/appenv/telemetry:0.2.0");
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                get("e2e-restart", "telemetry").getStatus().getConditions().stream()
                    .anyMatch(c -> "AwaitingPromotion".equals(c.getReason())));

    operator.close();
    operator = InProcessOperator.start();

    AppEnvironment waiting = get("e2e-restart", "telemetry");
    assertThat(waiting.getStatus().getHistory())
        .extracting(r -> r.getRevision())
        .containsExactly(2L, 1L);
    client
        .resources(AppEnvironment.class)
        .inNamespace("e2e-restart")
        .withName("telemetry")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"platform.appenv.io/promote\":\"2\"}}}");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              AppEnvironment promoted = get("e2e-restart", "telemetry");
              assertThat(promoted.getStatus().getActiveRelease().getRevision()).isEqualTo(2L);
              assertThat(promoted.getStatus().getHistory())
                  .extracting(r -> r.getResult())
                  .containsExactly("Succeeded", "Succeeded");
              assertThat(child(Service.class, "e2e-restart", "telemetry").getSpec().getSelector())
                  .containsEntry("platform.appenv.io/color", "green");
            });
  }

  @Test
  @Order(8)
  void aRestartedOperatorWritesNothingToAnUnchangedEnvironment() throws InterruptedException {
    await().atMost(TIMEOUT).until(() -> ready("telemetry-prod", "telemetry"));
    Map<String, String> before = resourceVersions("telemetry-prod", "telemetry");
    operator.close();

    operator = InProcessOperator.start();
    int environments =
        client.resources(AppEnvironment.class).inAnyNamespace().list().getItems().size();
    await().atMost(TIMEOUT).until(() -> operator.successfulReconciles() >= environments);
    Thread.sleep(2000); // let any write the resync might make reach the API server

    assertThat(resourceVersions("telemetry-prod", "telemetry")).isEqualTo(before);
  }

  @Test
  @Order(9)
  void retainedDatabaseVolumesOutliveTheEnvironmentAndComeBackWithIt() {
    createNamespace("e2e-db");
    createWithDatabase("keep", DeletionPolicy.Retain);
    createWithDatabase("drop", DeletionPolicy.Delete);
    await().atMost(TIMEOUT).until(() -> databaseReady("keep") && databaseReady("drop"));
    String claimUid = claim("keep").getMetadata().getUid();
    String secretUid = child(Secret.class, "e2e-db", "keep-db-credentials").getMetadata().getUid();

    client.resources(AppEnvironment.class).inNamespace("e2e-db").withName("keep").delete();
    client.resources(AppEnvironment.class).inNamespace("e2e-db").withName("drop").delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(child(StatefulSet.class, "e2e-db", "keep-db")).isNull();
              assertThat(claim("drop")).as("Delete removes the volume").isNull();
              assertThat(child(Secret.class, "e2e-db", "drop-db-credentials")).isNull();
            });
    assertThat(claim("keep")).as("Retain keeps the volume").isNotNull();
    assertThat(child(Secret.class, "e2e-db", "keep-db-credentials"))
        .as("and the passwords its roles know")
        .isNotNull();

    createWithDatabase("keep", DeletionPolicy.Retain);
    await().atMost(TIMEOUT).until(() -> databaseReady("keep"));
    assertThat(claim("keep").getMetadata().getUid())
        .as("the same volume, adopted")
        .isEqualTo(claimUid);
    assertThat(child(Secret.class, "e2e-db", "keep-db-credentials").getMetadata().getUid())
        .isEqualTo(secretUid);
  }

  @Test
  @Order(10)
  void withMigrationsTheReleaseWaitsForItsBackupJob() {
    createDevSample("e2e-migrations", env -> env.getSpec().getRelease().setMigrations(true));
    await().atMost(TIMEOUT).until(() -> ready("e2e-migrations", "telemetry"));

    setImage("e2e-migrations", "telemetry", "ghcr.io/appenv/telemetry:0.2.0");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              AppEnvironment promoted = get("e2e-migrations", "telemetry");
              assertThat(promoted.getStatus().getActiveRelease().getImage()).endsWith(":0.2.0");
              assertThat(promoted.getStatus().getHistory().get(0).getPreReleaseBackup())
                  .isEqualTo("telemetry-prerelease-2");
            });
    var job =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("e2e-migrations")
            .withName("telemetry-prerelease-2")
            .get();
    assertThat(job.getStatus().getSucceeded()).as("kwok completed the backup Pod").isEqualTo(1);
  }

  @Test
  @Order(11)
  void theVeleroScheduleFollowsTheSpecAndGoesWithTheEnvironment() {
    createNamespace("e2e-velero");
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("minimal.yaml"));
    env.getMetadata().setNamespace("e2e-velero");
    BackupSpec backup = new BackupSpec();
    backup.getLogical().setEnabled(false);
    backup.getVelero().setEnabled(true);
    env.getSpec().setBackup(backup);
    client.resource(env).create();
    String name = "appenv-e2e-velero-" + env.getMetadata().getName();
    var schedules = client.resources(VeleroSchedule.class).inNamespace("velero");
    await().atMost(TIMEOUT).until(() -> schedules.withName(name).get() != null);

    client
        .resources(AppEnvironment.class)
        .inNamespace("e2e-velero")
        .withName(env.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"backup\":{\"schedule\":\"15 3 * * *\"}}}");
    await()
        .atMost(TIMEOUT)
        .until(() -> "15 3 * * *".equals(schedules.withName(name).get().getSpec().getSchedule()));

    client
        .resources(AppEnvironment.class)
        .inNamespace("e2e-velero")
        .withName(env.getMetadata().getName())
        .delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(schedules.withName(name).get())
                  .as("deleted by the operator, no owner reference reaches it")
                  .isNull();
              assertThat(get("e2e-velero", env.getMetadata().getName()))
                  .as("finalizer released")
                  .isNull();
            });
  }

  @Test
  @Order(12)
  void theRestoreScriptRunsRestoreShInAJobMadeFromTheBackupCronJob() throws Exception {
    await().atMost(TIMEOUT).until(() -> ready("telemetry-prod", "telemetry"));
    ProcessBuilder script =
        new ProcessBuilder(
                "bash",
                Samples.crdsDir().resolveSibling("hack").resolve("restore.sh").toString(),
                "telemetry-prod",
                "telemetry",
                "latest",
                "restore_check")
            .redirectErrorStream(true);
    script.environment().put("KUBECONFIG", LocalCluster.kubeconfig().toString());
    script.environment().put("KUBECTL", Tools.kubectl());
    script.environment().put("RESTORE_TIMEOUT", "60s");
    Process restore = script.start();
    String output = new String(restore.getInputStream().readAllBytes());
    assertThat(restore.waitFor()).as(output).isZero();

    var jobs =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace("telemetry-prod")
            .withLabel("app.kubernetes.io/component", "restore")
            .list()
            .getItems();
    assertThat(jobs)
        .singleElement()
        .satisfies(
            job -> {
              var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
              assertThat(container.getCommand())
                  .containsExactly("bash", "/scripts/restore.sh", "latest", "restore_check");
              assertThat(container.getVolumeMounts())
                  .extracting(m -> m.getMountPath())
                  .contains("/backups", "/scripts");
              assertThat(container.getEnv())
                  .extracting(e -> e.getName())
                  .contains("PGHOST", "PGUSER", "PGPASSWORD");
              assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
            });
  }

  private static void createWithDatabase(String name, DeletionPolicy policy) {
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("minimal.yaml"));
    env.getMetadata().setNamespace("e2e-db");
    env.getMetadata().setName(name);
    DatabaseSpec database = new DatabaseSpec();
    database.setStorage("1Gi");
    database.setDeletionPolicy(policy);
    env.getSpec().setDatabase(database);
    client.resource(env).create();
  }

  private static boolean databaseReady(String name) {
    AppEnvironment env = get("e2e-db", name);
    return env != null
        && env.getStatus() != null
        && Conditions.isTrue(env.getStatus().getConditions(), ConditionType.DATABASE_READY);
  }

  private static PersistentVolumeClaim claim(String name) {
    return client
        .persistentVolumeClaims()
        .inNamespace("e2e-db")
        .withName("data-" + name + "-db-0")
        .get();
  }

  private static Map<String, String> resourceVersions(String namespace, String name) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("AppEnvironment", get(namespace, name).getMetadata().getResourceVersion());
    for (Class<? extends HasMetadata> type :
        List.of(Service.class, PodDisruptionBudget.class, NetworkPolicy.class)) {
      versions.put(
          type.getSimpleName(), child(type, namespace, name).getMetadata().getResourceVersion());
    }
    versions.put(
        "Deployment",
        child(Deployment.class, namespace, name + "-blue").getMetadata().getResourceVersion());
    versions.put(
        "Preview",
        child(Service.class, namespace, name + "-preview").getMetadata().getResourceVersion());
    versions.put(
        "StatefulSet",
        child(StatefulSet.class, namespace, name + "-db").getMetadata().getResourceVersion());
    versions.put(
        "Secret",
        child(Secret.class, namespace, name + "-db-credentials")
            .getMetadata()
            .getResourceVersion());
    versions.put(
        "ServiceMonitor",
        client
            .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
            .inNamespace(namespace)
            .withName(name)
            .get()
            .getMetadata()
            .getResourceVersion());
    return versions;
  }
}
