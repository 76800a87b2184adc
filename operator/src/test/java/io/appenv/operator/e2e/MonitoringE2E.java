package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.PresetAlert;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseRef;
import io.appenv.operator.api.Severity;
import io.appenv.operator.events.Reason;
import io.appenv.operator.names.Labels;
import io.appenv.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The monitoring stack of deploy/monitoring on the real node, as `make run` installs it
 * (RealNodeCluster, shared with RealNodeE2E): the Prometheus Operator's Prometheus selects the
 * operator's ServiceMonitors and PrometheusRules, scrapes real pods, fires the preset alerts on
 * real causes, and its Alertmanager calls the operator's webhook; vlagent collects every pod's log
 * into VictoriaLogs. Nothing here stands in for a part.
 */
@Tag("e2e")
// Ordered, unlike the other classes: its two environments take minutes to make and to be seen by
// Prometheus, so the tests share them; the silence of a healthy environment is checked before the
// faults, and the backups are cut off early so that BackupFailing's wait overlaps the others'.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// The last real-node class (junit-platform.properties orders classes by @Order; only GitOpsE2E
// comes after it): on the cluster the other real-node classes leave running.
@Order(Order.DEFAULT + 7)
class MonitoringE2E {
  private static final String LOOP = "e2e-alarm";
  private static final String PRESETS = "e2e-presets";
  private static final String NAME = "telemetry";
  private static final String READ_KEY = "monitoring-e2e-read-key";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Path RESULTS = Path.of("target", "monitoring-e2e.txt").toAbsolutePath();
  private static KubernetesClient client;

  @BeforeAll
  static void stack() throws Exception {
    client = RealNodeCluster.client();
    Files.deleteIfExists(RESULTS);
    environment(
        LOOP,
        spec -> {
          PresetAlert errorRate = preset("0.05", "30s", Severity.CRITICAL);
          errorRate.setRollback(true);
          spec.getMonitoring().getAlerts().setErrorRate(errorRate);
        });
    environment(
        PRESETS,
        spec -> {
          spec.getMonitoring()
              .getAlerts()
              .setReplicasUnavailable(preset("0", "20s", Severity.WARNING));
          spec.getMonitoring().getAlerts().setDatabaseDown(preset(null, "20s", Severity.WARNING));
          spec.getMonitoring().getAlerts().setPodRestarts(preset("1", "45s", Severity.WARNING));
          PresetAlert latency = preset("0.5", "20s", Severity.WARNING);
          latency.setRollback(false); // this test watches the alert, not a rollback
          spec.getMonitoring().getAlerts().setLatencyP95(latency);
          // A logical backup every minute: BackupFailing's periods in minutes, not days.
          BackupSpec backup = new BackupSpec();
          backup.setSchedule("* * * * *");
          backup.setRetention("1h");
          spec.setBackup(backup);
        });
    for (String ns : List.of(LOOP, PRESETS)) {
      await()
          .atMost(Duration.ofMinutes(6))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> phase(ns) == Phase.Ready);
    }
  }

  @Test
  @Order(1)
  void prometheusSelectsEveryEnvironmentsRulesAndTheStatusSaysSo() throws Exception {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              assertThat(client.resources(AppEnvironment.class).inAnyNamespace().list().getItems())
                  .allSatisfy(
                      env ->
                          assertThat(LiveEnvironment.condition(env, ConditionType.ALERTS_SELECTED))
                              .as(env.getMetadata().getNamespace())
                              .hasValueSatisfying(
                                  c -> {
                                    assertThat(c.getStatus()).isEqualTo("True");
                                    assertThat(c.getMessage()).contains("monitoring/appenv");
                                  }));
              assertThat(prometheus("/api/v1/rules"))
                  .contains("appenv." + LOOP + "." + NAME)
                  .contains("appenv." + PRESETS + "." + NAME)
                  .contains("appenv.delivery");
            });
    // The operator's own pods are scraped through
    // deploy/servicemonitor.yaml: the delivery KPIs are there.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(5))
        .until(
            () ->
                !query(
                        "appenv_deployments_total{namespace=\"appenv-system\",pod=~\"appenv-operator-.+\"}")
                    .isEmpty());
  }

  @Test
  @Order(2)
  void presetAlertsStaySilentOnAHealthyEnvironment() throws Exception {
    // The presets' series exist (the app's, kube-state-metrics', a backup that succeeded) and have
    // held longer than every 'for' here.
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(5))
        .until(
            () ->
                !query("kube_statefulset_status_replicas_ready{namespace=\"" + PRESETS + "\"}")
                        .isEmpty()
                    && !query("up{namespace=\"" + PRESETS + "\",service=\"" + NAME + "\"} == 1")
                        .isEmpty()
                    && !query(
                            "kube_cronjob_status_last_successful_time{namespace=\""
                                + PRESETS
                                + "\"}")
                        .isEmpty());

    // No alert, pending or firing, for a minute: longer than every 'for' here.
    Steady.holds(
        Duration.ofSeconds(60),
        () -> {
          assertThat(query("ALERTS{namespace=\"" + PRESETS + "\"}"))
              .as("alerts of a healthy environment")
              .isEmpty();
          assertThat(query("ALERTS{namespace=\"" + LOOP + "\"}"))
              .as("alerts of a healthy environment")
              .isEmpty();
        });
  }

  @Test
  @Order(3)
  void aRequestIdSentToTheAppIsFoundInTheLogStore() throws Exception {
    String requestId = "e2e-" + UUID.randomUUID();
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(appUrl(LOOP) + "/api/v1/devices?limit=1"))
                .header("X-API-Key", READ_KEY)
                .header("X-Request-Id", requestId)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Instant sent = Instant.now();

    String line =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofSeconds(1))
            // The request's own access line: lines logged during it (the read-only pool starting
            // on the first query) carry its id too, and may reach the store first.
            .until(
                () -> logs("request.id:=\"" + requestId + "\""),
                found -> found.contains("GET /api/v1/devices 200"));
    record(
        "log store: request id found "
            + Duration.between(sent, Instant.now()).toMillis()
            + " ms after the answer");

    assertThat(line)
        .contains("\"kubernetes.pod_namespace\":\"" + LOOP + "\"")
        .contains("\"kubernetes.pod_labels.platform.appenv.io/environment\":\"dev\"")
        .contains("\"kubernetes.pod_labels.platform.appenv.io/color\":\"blue\"")
        .contains("\"kubernetes.pod_labels.app.kubernetes.io/instance\":\"" + NAME + "\"")
        .contains("\"_msg\":\"GET /api/v1/devices 200");
  }

  @Test
  @Order(4)
  void aBadReleaseOnRealPodsIsRolledBackByItsOwnAlert() throws Exception {
    LiveEnvironment loop = new LiveEnvironment(client, LOOP, NAME);
    try (Traffic traffic =
        traffic(
            LOOP,
            "/api/v1/devices/boiler-1/readings?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
            Duration.ofMillis(100))) {
      // Prometheus knows v1's healthy traffic before the release, as it would in production.
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(3))
          .until(
              () ->
                  !query(
                          "sum(rate(http_server_requests_seconds_count{namespace=\""
                              + LOOP
                              + "\",uri!~\"/actuator.*\"}[1m])) > 0")
                      .isEmpty());

      // v2: the same image, half its API calls failing.
      AppEnvironment env =
          client.resources(AppEnvironment.class).inNamespace(LOOP).withName(NAME).get();
      env.getSpec().getApp().getEnv().add(EnvVarSpec.literal("TELEMETRY_FAULT_ERROR_RATE", "0.5"));
      RealNodeCluster.applyAs("monitoring-e2e", env);

      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> traffic.firstErrorAt() != null);
      Instant errorsBegan = traffic.firstErrorAt();
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  !query(
                          "ALERTS{alertname=\"AppErrorRateHigh\",namespace=\""
                              + LOOP
                              + "\",alertstate=\"firing\"}")
                      .isEmpty());
      Duration detection = Duration.between(errorsBegan, Instant.now());
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> "blue".equals(loop.servingColor()));
      Duration restore = Duration.between(errorsBegan, Instant.now());

      ReleaseRecord bad = loop.newestRelease().orElseThrow();
      assertThat(bad.getResult()).isEqualTo("RolledBack");
      assertThat(bad.getReason()).contains("AppErrorRateHigh");
      assertThat(bad.getTimeToRestoreSeconds()).isPositive();
      record(
          "alarm loop on real pods (scrape 15s, rules 15s, for 30s, group_wait 1s): first 500 -> alert firing in "
              + "Prometheus %.1f s; first 500 -> Service back on v1 %.1f s; timeToRestoreSeconds %.1f s"
                  .formatted(
                      detection.toMillis() / 1000.0,
                      restore.toMillis() / 1000.0,
                      bad.getTimeToRestoreSeconds()));

      // The operator's rollback line, found in the log store by environment and revision.
      String line =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () ->
                      logs(
                          "kubernetes.pod_namespace:appenv-system appenv.namespace:"
                              + LOOP
                              + " appenv.revision:"
                              + bad.getRevision()
                              + " \"Rolled back\""),
                  found -> !found.isBlank());
      assertThat(line).contains("AppErrorRateHigh").contains("\"appenv.name\":\"" + NAME + "\"");
    }
  }

  /** When the backups were cut off from their database (see backupsAreCutOffFromTheirDatabase). */
  private static Instant backupsIsolated;

  private static final NetworkPolicy BACKUP_NO_EGRESS =
      new NetworkPolicyBuilder()
          .withNewMetadata()
          .withName("e2e-backup-no-egress")
          .withNamespace(PRESETS)
          .endMetadata()
          .withNewSpec()
          .withNewPodSelector()
          .addToMatchLabels(Labels.COMPONENT, Labels.COMPONENT_BACKUP)
          .endPodSelector()
          .withPolicyTypes("Egress")
          .endSpec()
          .build();

  // BackupFailing needs two backup periods without a success (2 min here): the backups are cut off
  // before the other faults of this environment, and backupsThatStopSucceedingFireBackupFailing
  // checks the alert after them, so that its wait overlaps theirs instead of adding to the run.
  @Test
  @Order(5)
  void backupsAreCutOffFromTheirDatabase() throws Exception {
    assertThat(firing(PRESETS)).as("backups succeeded until now").doesNotContain("BackupFailing");
    // The database out of the backup pods' reach, as a team's own egress policy would put it: no
    // egress at all, not even DNS. Every run fails from now on.
    backupsIsolated = Instant.now();
    client.resource(BACKUP_NO_EGRESS).create();
  }

  @Test
  @Order(6)
  void aStoppedDatabaseFiresDatabaseDownAndReplicasUnavailable() throws Exception {
    // The database pod stopped and unable to come back, as on a drained node: the
    // real node cordoned (kwok's nodes are tainted), the pod deleted. Freezing the
    // container is no cause: the kubelet cannot exec a probe into a paused
    // container, calls the result unknown and keeps it ready.
    String db = NAME + "-db-0";
    String node = client.pods().inNamespace(PRESETS).withName(db).get().getSpec().getNodeName();
    schedulable(node, false);
    try {
      client.pods().inNamespace(PRESETS).withName(db).delete();
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                assertThat(firing(PRESETS)).contains("DatabaseDown", "AppReplicasUnavailable");
              });
    } finally {
      schedulable(node, true);
    }
    // And it clears once the database runs again, on its volume.
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(3))
        .until(() -> !firing(PRESETS).contains("DatabaseDown"));
  }

  private static void schedulable(String node, boolean schedulable) {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(schedulable ? null : true);
              return n;
            });
  }

  @Test
  @Order(7)
  void aContainerKilledRepeatedlyFiresPodsRestarting() throws Exception {
    for (int i = 0; i < 4; i++) {
      Pod app =
          client
              .pods()
              .inNamespace(PRESETS)
              .withLabel(Labels.COMPONENT, Labels.COMPONENT_APP)
              .list()
              .getItems()
              .get(0);
      String container =
          app.getStatus()
              .getContainerStatuses()
              .get(0)
              .getContainerID()
              .replace("containerd://", "");
      RealNodeCluster.ctr("tasks", "kill", "--signal", "SIGKILL", container);
      int before = app.getStatus().getContainerStatuses().get(0).getRestartCount();
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> restarts(app.getMetadata().getName()) > before);
    }
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> firing(PRESETS).contains("AppPodsRestarting"));
  }

  @Test
  @Order(8)
  void aSlowReleaseFiresLatencyP95() throws Exception {
    LiveEnvironment presets = new LiveEnvironment(client, PRESETS, NAME);
    AppEnvironment env = presets.get();
    long before = env.getStatus().getActiveRelease().getRevision();
    // v2: the same image, every API call 800 ms slower than v1's few milliseconds.
    env.getSpec().getApp().getEnv().add(EnvVarSpec.literal("TELEMETRY_FAULT_DELAY", "800ms"));
    RealNodeCluster.applyAs("monitoring-e2e", env);
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              // The release's own condition, not the phase: the backups cut off at order 5 are
              // stale by now, which keeps the phase Degraded (BackupStale) whatever the release.
              AppEnvironment now = presets.get();
              return LiveEnvironment.activeRelease(now)
                      .map(ReleaseRef::getRevision)
                      .filter(revision -> revision > before)
                      .isPresent()
                  && LiveEnvironment.has(
                      now, ConditionType.PROGRESSING, false, Reason.RELEASE_COMPLETE.value());
            });

    try (Traffic traffic = traffic(PRESETS, "/api/v1/devices?limit=1", Duration.ofMillis(200))) {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> firing(PRESETS).contains("AppLatencyP95High"));
    }
  }

  @Test
  @Order(9)
  void backupsThatStopSucceedingFireBackupFailing() throws Exception {
    assertThat(backupsIsolated).as("the backups were cut off (order 5)").isNotNull();
    try {
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(3))
          .until(() -> firing(PRESETS).contains("BackupFailing"));
      // The rule's own clock: when it began to hold (ALERTS_FOR_STATE's value, Unix seconds).
      double activeAt =
          Double.parseDouble(
              ((List<?>)
                      query(
                              "ALERTS_FOR_STATE{alertname=\"BackupFailing\",namespace=\""
                                  + PRESETS
                                  + "\"}")
                          .get(0)
                          .get("value"))
                  .get(1)
                  .toString());
      record(
          "backup isolated from its database -> BackupFailing active %.0f s later (schedule every minute)"
              .formatted(activeAt - backupsIsolated.toEpochMilli() / 1000.0));
      // A real cause: a run started since the policy that failed (its container restarted after
      // backup.sh waited a minute for the server, or its Job was given up).
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(5))
          .until(
              () ->
                  client
                      .pods()
                      .inNamespace(PRESETS)
                      .withLabel(Labels.COMPONENT, Labels.COMPONENT_BACKUP)
                      .list()
                      .getItems()
                      .stream()
                      .filter(
                          pod ->
                              !Instant.parse(pod.getMetadata().getCreationTimestamp())
                                  .isBefore(backupsIsolated.truncatedTo(ChronoUnit.SECONDS)))
                      .anyMatch(
                          pod ->
                              "Failed".equals(pod.getStatus().getPhase())
                                  || pod.getStatus().getContainerStatuses().stream()
                                      .anyMatch(c -> c.getRestartCount() > 0)));
    } finally {
      client.resource(BACKUP_NO_EGRESS).delete();
    }
  }

  // --- the environments
  // ------------------------------------------------------------------------------------------

  /**
   * The dev sample in its own namespace with its own API key, the presets quick enough for a test.
   */
  private static void environment(
      String namespace, Consumer<io.appenv.operator.api.AppEnvironmentSpec> alerts)
      throws Exception {
    RealNodeCluster.devSampleIn(namespace, READ_KEY, "monitoring-e2e", alerts);
  }

  private static PresetAlert preset(String threshold, String forDuration, Severity severity) {
    PresetAlert preset = new PresetAlert();
    preset.setThreshold(threshold);
    preset.setForDuration(forDuration);
    preset.setSeverity(severity);
    return preset;
  }

  private static Phase phase(String namespace) {
    return new LiveEnvironment(client, namespace, NAME).phase();
  }

  /**
   * Requests to an environment's app through its Service, one after another with {@code pause}
   * between them, until closed.
   */
  private static Traffic traffic(String namespace, String path, Duration pause) {
    LiveEnvironment env = new LiveEnvironment(client, namespace, NAME);
    return new Traffic(
        "monitoring-e2e-" + namespace,
        () -> {
          Service service = env.service();
          return service == null
              ? null
              : URI.create("http://" + service.getSpec().getClusterIP() + ":8080" + path);
        },
        READ_KEY,
        pause);
  }

  private static String appUrl(String namespace) {
    return "http://"
        + new LiveEnvironment(client, namespace, NAME).service().getSpec().getClusterIP()
        + ":8080";
  }

  /** The restarts of a pod's first container, -1 while the pod or its status is not there. */
  private static int restarts(String pod) {
    Pod found = client.pods().inNamespace(PRESETS).withName(pod).get();
    return found == null || found.getStatus() == null
        ? -1
        : found.getStatus().getContainerStatuses().stream()
            .findFirst()
            .map(c -> c.getRestartCount())
            .orElse(-1);
  }

  // --- Prometheus, VictoriaLogs and the node
  // -----------------------------------------------------------------------

  private static String podUrl(String pod, int port) {
    return "http://"
        + client.pods().inNamespace("monitoring").withName(pod).get().getStatus().getPodIP()
        + ":"
        + port;
  }

  private static String prometheus(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(podUrl("prometheus-appenv-0", 9090) + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> query(String promql) throws Exception {
    String answer =
        prometheus("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    Map<String, Object> body = Serialization.unmarshal(answer, Map.class);
    assertThat(body).as("Prometheus' answer to " + promql + ": " + answer).containsKey("data");
    return (List<Map<String, Object>>) ((Map<String, Object>) body.get("data")).get("result");
  }

  @SuppressWarnings("unchecked")
  private static List<String> firing(String namespace) throws Exception {
    return query("ALERTS{namespace=\"" + namespace + "\",alertstate=\"firing\"}").stream()
        .map(r -> ((Map<String, String>) r.get("metric")).get("alertname"))
        .toList();
  }

  /** LogsQL on VictoriaLogs: the matching lines of the last hour, one JSON object a line. */
  private static String logs(String logsql) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        podUrl("victoria-logs-0", 9428)
                            + "/select/logsql/query?query="
                            + URLEncoder.encode("_time:1h " + logsql, StandardCharsets.UTF_8)
                            + "&limit=5"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * containerd's own client on the node's socket: pause, resume or kill a container's processes.
   */
  private static void record(String line) throws Exception {
    System.out.println("[monitoring] " + line);
    Files.writeString(
        RESULTS,
        line + "\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
