package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.AppEnvOperatorApplication;
import io.appenv.operator.Samples;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.Tools;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.names.Color;
import io.appenv.operator.release.Alert;
import io.appenv.operator.webhook.RollbackService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Faults in the middle of the work, on the local control plane: the API server and etcd restarted
 * during a release and a rollback, the operator gone between recording a rollback and switching
 * traffic, the leader's Lease lost while Alertmanager's notification arrives, and a burst of
 * notifications. After each, the environment converges, no object is duplicated or lost, the
 * history is intact and traffic is on the right colour.
 */
@Tag("e2e")
class FaultsE2E {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final KubernetesClient client = LocalCluster.client();

  private AppEnvironment create(String ns, String scaleDownDelay) {
    SampleEnvironments.namespace(client, ns);
    return client
        .resource(
            TestEnvironments.blueGreen(
                ns, "shop", spec -> spec.getRelease().setScaleDownDelay(scaleDownDelay)))
        .create();
  }

  private LiveEnvironment env(String ns) {
    return new LiveEnvironment(client, ns, "shop");
  }

  /** The status and the Service both say {@code color} serves {@code revision}. */
  private boolean serves(String ns, String color, long revision) {
    LiveEnvironment env = env(ns);
    return color.equals(env.activeColor())
        && Long.valueOf(revision).equals(env.activeRevision())
        && color.equals(env.servingColor());
  }

  /**
   * A wait right after a process of the cluster restarted: a read the API server refuses or fails
   * while it is still coming back (fabric8 wraps a refused connection too) is "not yet".
   */
  private static ConditionFactory afterARestart() {
    return await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(KubernetesClientException.class);
  }

  /**
   * What a converged environment shows: one Deployment per colour, the history in order, nothing
   * lost.
   */
  private void assertConverged(String ns, String serving, List<String> results) {
    List<String> deployments =
        client.apps().deployments().inNamespace(ns).list().getItems().stream()
            .map(d -> d.getMetadata().getName())
            .sorted()
            .toList();
    assertThat(deployments).containsExactly("shop-blue", "shop-green");
    assertThat(client.services().inNamespace(ns).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("shop", "shop-preview");
    List<ReleaseRecord> history = env(ns).history();
    assertThat(history).extracting(ReleaseRecord::getResult).containsExactlyElementsOf(results);
    assertThat(history)
        .extracting(ReleaseRecord::getRevision)
        .isSortedAccordingTo(Comparator.reverseOrder())
        .doesNotHaveDuplicates();
    assertThat(env(ns).servingColor()).isEqualTo(serving);
  }

  private static Alert alert(String ns, Instant startsAt, String fingerprint) {
    return FiringAlert.of(ns, "shop").alert(startsAt, fingerprint);
  }

  @Test
  void aReleaseGoesOnThroughAnApiServerRestartAndAnEtcdRestart() {
    String ns = "fault-release";
    try (InProcessOperator operator = InProcessOperator.start()) {
      create(ns, "10m");
      await().atMost(TIMEOUT).until(() -> serves(ns, "blue", 1));

      env(ns).setImage("ghcr.io/appenv/telemetry:2.0.0");
      LocalCluster.restart("kube-apiserver", false);
      afterARestart().until(() -> serves(ns, "green", 2));
      assertConverged(ns, "green", List.of("Succeeded", "Succeeded"));

      env(ns).setImage("ghcr.io/appenv/telemetry:3.0.0");
      LocalCluster.restart("etcd", true);
      afterARestart().until(() -> serves(ns, "blue", 3));
      assertConverged(ns, "blue", List.of("Succeeded", "Succeeded", "Succeeded"));
    }
  }

  @Test
  void aColdRollbackGoesOnThroughAnApiServerRestart() {
    String ns = "fault-rollback";
    try (InProcessOperator operator = InProcessOperator.start()) {
      create(ns, "1s");
      await().atMost(TIMEOUT).until(() -> serves(ns, "blue", 1));
      env(ns).setImage("ghcr.io/appenv/telemetry:2.0.0");
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  serves(ns, "green", 2)
                      && Integer.valueOf(0).equals(env(ns).replicas(Color.BLUE)));

      RollbackService rollbacks = FiringAlert.rollbackService(client);
      RollbackService.Outcome outcome = rollbacks.handle(alert(ns, Instant.now(), "cold"));
      assertThat(outcome.rolledBack()).as(outcome.reason()).isTrue();
      assertThat(outcome.reason()).contains("blue is scaling up");
      LocalCluster.restart("kube-apiserver", true);

      afterARestart()
          .until(
              () ->
                  serves(ns, "blue", 1)
                      && Integer.valueOf(0).equals(env(ns).replicas(Color.GREEN)));
      assertConverged(ns, "blue", List.of("RolledBack", "Succeeded"));
      assertThat(env(ns).phase()).isEqualTo(Phase.RolledBack);
    }
  }

  /**
   * The operator process dies after the webhook recorded the rollback in the status and before it
   * switched the Service: its client refuses the switch, and the operator's reconciler is stopped
   * with it. The next operator finds the status and brings traffic to the colour it names.
   */
  @Test
  void anOperatorKilledBetweenRecordingARollbackAndSwitchingTrafficIsRepairedByTheNext() {
    String ns = "fault-killed";
    InProcessOperator first = InProcessOperator.start();
    try {
      create(ns, "10m");
      await().atMost(TIMEOUT).until(() -> serves(ns, "blue", 1));
      env(ns).setImage("ghcr.io/appenv/telemetry:2.0.0");
      await().atMost(TIMEOUT).until(() -> serves(ns, "green", 2));
    } finally {
      first.close();
    }
    Interceptor diesBeforeTheSwitch =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if ("PATCH".equals(request.method())
                && request.uri().getPath().contains("/services/")) {
              throw new IllegalStateException("killed");
            }
          }
        };
    try (KubernetesClient dying =
        new KubernetesClientBuilder()
            .withConfig(LocalCluster.config())
            .withHttpClientBuilderConsumer(
                b -> b.addOrReplaceInterceptor("dies", diesBeforeTheSwitch))
            .build()) {
      RollbackService rollbacks = FiringAlert.rollbackService(dying);
      try {
        rollbacks.handle(alert(ns, Instant.now(), "k"));
      } catch (RuntimeException dead) {
        // the process ends here, whatever the webhook would have answered
      }
    }
    assertThat(env(ns).activeColor()).as("the rollback is recorded").isEqualTo("blue");
    assertThat(env(ns).servingColor()).as("traffic was not switched").isEqualTo("green");

    try (InProcessOperator next = InProcessOperator.start()) {
      await().atMost(TIMEOUT).until(() -> serves(ns, "blue", 1));
      assertConverged(ns, "blue", List.of("RolledBack", "Succeeded"));
    }
  }

  /**
   * Two replicas with leader election, Debian's Alertmanager routing to the standby (as a Service
   * may): the leader goes away while the alert fires; the standby answers 503 until it leads,
   * Alertmanager retries, and exactly one rollback happens. Then a burst of 1,000 copies of the
   * notification: all answered, no second rollback, and the webhook still answers.
   */
  @Test
  void alertmanagersRetryAcrossALostLeaseEndsInExactlyOneRollbackAndABurstChangesNothing()
      throws Exception {
    String ns = "fault-lease";
    String alertmanagerBin = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    Path work = Path.of("target", "fault-lease").toAbsolutePath();
    Files.createDirectories(work);
    System.setProperty("kubeconfig", LocalCluster.kubeconfig().toString());
    create(ns, "10m");
    ConfigurableApplicationContext leader = replica("replica-a", 28180);
    ConfigurableApplicationContext standby = null;
    try {
      await().atMost(TIMEOUT).until(() -> serves(ns, "blue", 1));
      standby = replica("replica-b", 28181);
      env(ns).setImage("ghcr.io/appenv/telemetry:2.0.0");
      await().atMost(TIMEOUT).until(() -> serves(ns, "green", 2));
      assertThat(post(28181, notification(ns, Instant.now())).statusCode())
          .as("the standby asks to retry")
          .isEqualTo(503);

      try (LocalProcess alertmanager = alertmanager(alertmanagerBin, work, 28181, 29193)) {
        fire(29193, ns);
        // Alertmanager's first attempt reaches the standby, which asks it to retry.
        await().atMost(TIMEOUT).until(() -> failedWebhookNotifications(29193) >= 1);
        assertThat(serves(ns, "green", 2)).as("nothing rolled back yet").isTrue();

        leader.close(); // the leader stops and gives the Lease up; the standby takes it next try
        await().atMost(TIMEOUT).until(() -> serves(ns, "blue", 1));
        // Alertmanager's later notifications of the same alert change nothing.
        Steady.holds(
            Duration.ofSeconds(5),
            () -> assertConverged(ns, "blue", List.of("RolledBack", "Succeeded")));
      }

      String burst = notification(ns, Instant.now());
      ExecutorService pool = Executors.newFixedThreadPool(20);
      List<Future<Integer>> answers = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        answers.add(pool.submit(() -> post(28181, burst).statusCode()));
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        codes.add(answer.get());
      }
      pool.shutdown();
      System.out.printf(
          "[faults] 1,000 notifications answered in %d ms%n",
          (System.nanoTime() - started) / 1_000_000);
      assertThat(codes).containsOnly(200);
      assertThat(
              HTTP.send(
                      java.net.http.HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:28181/actuator/health/liveness"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      assertConverged(ns, "blue", List.of("RolledBack", "Succeeded"));
    } finally {
      leader.close();
      if (standby != null) {
        standby.close();
      }
    }
  }

  private static ConfigurableApplicationContext replica(String identity, int port) {
    return new SpringApplicationBuilder(AppEnvOperatorApplication.class)
        .run(
            "--server.port=" + port,
            "--server.address=127.0.0.1",
            "--appenv.webhook.token=fault-token",
            "--appenv.watch-namespaces=fault-lease",
            "--appenv.leader-election.enabled=true",
            "--appenv.leader-election.lease-name=appenv-faults",
            "--appenv.leader-election.lease-namespace=fault-lease",
            "--appenv.leader-election.identity=" + identity,
            "--appenv.leader-election.lease-duration=6s",
            "--appenv.leader-election.exit-on-lost-leadership=false",
            "--spring.profiles.active=plain",
            "--logging.level.root=WARN");
  }

  private static String notification(String ns, Instant startsAt) {
    return FiringAlert.of(ns, "shop").notification(startsAt, "burst");
  }

  private static HttpResponse<String> post(int port, String body) throws Exception {
    return HTTP.send(
        java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/webhooks/alertmanager"))
            .header("Authorization", "Bearer fault-token")
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Debian's Alertmanager with the shipped routing, its webhook aimed at one replica. */
  private static LocalProcess alertmanager(String binary, Path work, int operatorPort, int port)
      throws Exception {
    Path token = work.resolve("token");
    Files.writeString(token, "fault-token");
    String config =
        Files.readString(
                Samples.crdsDir()
                    .resolveSibling("deploy")
                    .resolve("monitoring")
                    .resolve("alertmanager.yaml"))
            .replace(
                "http://appenv-operator.appenv-system.svc:8080/webhooks/alertmanager",
                "http://127.0.0.1:" + operatorPort + "/webhooks/alertmanager")
            .replace("/etc/alertmanager/secrets/appenv-webhook-token/token", token.toString());
    Path configFile = work.resolve("alertmanager.yaml");
    Files.writeString(configFile, config);
    Path data = work.resolve("data");
    if (Files.exists(data)) {
      try (var files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    return LocalProcess.start(
            "alertmanager-faults",
            List.of(
                binary,
                "--config.file=" + configFile,
                "--storage.path=" + data,
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="),
            Map.of(),
            work)
        .awaitReady("http://127.0.0.1:" + port + "/-/ready", Duration.ofSeconds(60));
  }

  /**
   * Webhook notifications Alertmanager could not deliver (a 503 of a standby counts): it retries
   * them.
   */
  private static double failedWebhookNotifications(int port) throws Exception {
    String metrics =
        HTTP.send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(
            l ->
                l.startsWith("alertmanager_notifications_failed_total{")
                    && l.contains("integration=\"webhook\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The alert Prometheus would send, posted to Alertmanager's API. */
  private static void fire(int port, String ns) throws Exception {
    String alert = FiringAlert.of(ns, "shop").forAlertmanager(Instant.now(), null);
    HttpResponse<String> response =
        HTTP.send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(alert))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }
}
