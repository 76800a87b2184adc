package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.Samples;
import io.appenv.operator.Tools;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.Condition;
import io.appenv.operator.api.Phase;
import io.appenv.operator.events.Reason;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.upstream.PrometheusRule;
import io.appenv.operator.upstream.VeleroSchedule;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The prod sample against a real control plane with kwok Pods, and what an environment installs
 * beside its app: every child accepted by the API server, the ServiceMonitor and PrometheusRule by
 * the Prometheus Operator's CRDs, the backup CronJob, the roles Job and the Velero Schedule by
 * Velero's; the Schedule follows the spec and goes with the environment through its finalizer;
 * hack/restore.sh makes a restore Job from the backup CronJob.
 */
@Tag("e2e")
class AddOnsE2E {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String PROD = "telemetry-prod";

  @RegisterExtension
  static final InProcessOperator.PerClass operator = new InProcessOperator.PerClass();

  /** samples/prod.yaml, applied (it may be there already), once it is Ready. */
  private static LiveEnvironment readyProdSample() {
    KubernetesClient client = LocalCluster.client();
    AppEnvironment sample = SampleEnvironments.apply(client, "prod.yaml");
    LiveEnvironment prod = new LiveEnvironment(client, PROD, sample.getMetadata().getName());
    await().atMost(TIMEOUT).until(prod::ready);
    return prod;
  }

  @Test
  void prodSampleBecomesReadyWithEveryChildAcceptedByTheApiServer() {
    KubernetesClient client = LocalCluster.client();
    LiveEnvironment prod = readyProdSample();
    AppEnvironment named = prod.named();

    Deployment deployment = prod.child(Deployment.class, prod.deployment(Color.BLUE));
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(3);
    Service service = prod.service();
    assertThat(service.getSpec().getClusterIP()).isNotBlank();
    assertThat(service.getSpec().getSelector()).containsEntry(Labels.COLOR, "blue");
    assertThat(prod.child(Service.class, Names.previewService(named))).isNotNull();
    assertThat(prod.activeColor()).isEqualTo("blue");
    assertThat(
            prod.child(PodDisruptionBudget.class, Names.podDisruptionBudget(named))
                .getStatus()
                .getExpectedPods())
        .isEqualTo(3);
    assertThat(prod.child(NetworkPolicy.class, Names.networkPolicy(named))).isNotNull();
    assertThat(
            client
                .pods()
                .inNamespace(PROD)
                .withLabel(Labels.INSTANCE, prod.name())
                .withLabel(Labels.COMPONENT, Labels.COMPONENT_APP)
                .list()
                .getItems())
        .hasSize(3)
        .allSatisfy(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Running"));
    assertThat(prod.phase()).isEqualTo(Phase.Ready);
    assertThat(
            client
                .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace(PROD)
                .withName(prod.name())
                .get())
        .as("accepted by the upstream CRD")
        .isNotNull();
    await().atMost(TIMEOUT).until(() -> prod.isTrue(ConditionType.MONITORING_INSTALLED));
    PrometheusRule rules = prod.child(PrometheusRule.class, prod.name());
    assertThat(rules).as("accepted by the upstream CRD").isNotNull();
    assertThat(rules.getSpec().getGroups().get(0).getRules())
        .extracting(r -> r.getAlert())
        .contains("AppErrorRateHigh", "DatabaseDown", "BackupFailing", "IngestionStalled");
    await().atMost(TIMEOUT).until(() -> prod.isTrue(ConditionType.ALERTS_INSTALLED));
    assertThat(prod.isTrue(ConditionType.DATABASE_READY)).isTrue();
    assertThat(prod.child(PersistentVolumeClaim.class, prod.databaseClaim()).getStatus().getPhase())
        .isEqualTo("Bound");
    assertThat(prod.child(CronJob.class, Names.backupCronJob(named)).getSpec().getSchedule())
        .isEqualTo("0 2 * * *");
    assertThat(prod.child(PersistentVolumeClaim.class, Names.backupCronJob(named))).isNotNull();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(prod.condition(ConditionType.BACKUP_HEALTHY))
                    .map(Condition::getReason)
                    .contains(Reason.FIRST_BACKUP_PENDING.value()));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(PROD)
                            .withLabel(Labels.COMPONENT, Labels.COMPONENT_DATABASE_ADMIN)
                            .list()
                            .getItems())
                    .as("the roles Job, run once the database is up")
                    .singleElement()
                    .satisfies(
                        job ->
                            assertThat(job.getMetadata().getName())
                                .startsWith(Names.database(named) + "-roles-")));
    VeleroSchedule schedule =
        client
            .resources(VeleroSchedule.class)
            .inNamespace("velero")
            .withName(Names.veleroSchedule(named))
            .get();
    assertThat(schedule).as("accepted by Velero's CRD").isNotNull();
    assertThat(schedule.getSpec().getTemplate().getIncludedNamespaces()).containsExactly(PROD);
    await().atMost(TIMEOUT).until(() -> prod.isTrue(ConditionType.VELERO_SCHEDULE_INSTALLED));
  }

  @Test
  void theVeleroScheduleFollowsTheSpecAndGoesWithTheEnvironment() {
    KubernetesClient client = LocalCluster.client();
    SampleEnvironments.namespace(client, "e2e-velero");
    AppEnvironment env = SampleEnvironments.minimal("e2e-velero", "hello");
    BackupSpec backup = new BackupSpec();
    backup.getLogical().setEnabled(false);
    backup.getVelero().setEnabled(true);
    env.getSpec().setBackup(backup);
    client.resource(env).create();
    LiveEnvironment live = new LiveEnvironment(client, "e2e-velero", "hello");
    var schedule =
        client
            .resources(VeleroSchedule.class)
            .inNamespace("velero")
            .withName(Names.veleroSchedule(env));
    await().atMost(TIMEOUT).until(() -> schedule.get() != null);

    live.mergePatch(Map.of("spec", Map.of("backup", Map.of("schedule", "15 3 * * *"))));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                "15 3 * * *"
                    .equals(
                        Optional.ofNullable(schedule.get())
                            .map(s -> s.getSpec().getSchedule())
                            .orElse(null)));

    live.delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(schedule.get())
                  .as("deleted by the operator, no owner reference reaches it")
                  .isNull();
              assertThat(live.get()).as("finalizer released").isNull();
            });
  }

  /**
   * The prod sample in a namespace of its own: hack/restore.sh's Job belongs to the backup CronJob,
   * whose last successful time it moves (BackupHealthy then says BackupSucceeded).
   */
  @Test
  void theRestoreScriptRunsRestoreShInAJobMadeFromTheBackupCronJob() throws Exception {
    KubernetesClient client = LocalCluster.client();
    String namespace = "e2e-restore";
    SampleEnvironments.namespace(client, namespace);
    AppEnvironment created =
        client.resource(SampleEnvironments.sample("prod.yaml", namespace)).create();
    LiveEnvironment prod = new LiveEnvironment(client, namespace, created.getMetadata().getName());
    await().atMost(TIMEOUT).until(prod::ready);
    ProcessBuilder script =
        new ProcessBuilder(
                "bash",
                Samples.crdsDir().resolveSibling("hack").resolve("restore.sh").toString(),
                namespace,
                prod.name(),
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
            .inNamespace(namespace)
            .withLabel(Labels.COMPONENT, "restore")
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
}
