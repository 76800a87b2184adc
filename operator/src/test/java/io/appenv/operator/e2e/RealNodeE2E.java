package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.model.Postgres;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The samples on the local cluster's container-running node, as `make run` leaves them: every
 * container runs for real (no kwok node under any of them), the app answers through its Service,
 * and PostgreSQL takes the app role's generated password from the environment's Secret.
 */
@Tag("e2e")
// Last of the e2e tier (junit-platform.properties orders classes by @Order): the real node and its
// stack stay up until the JVM ends, so every kwok-only class runs before them, on a quiet machine;
// the samples as `make run` leaves them, before MonitoringE2E breaks its own environments.
@Order(Order.DEFAULT + 1)
class RealNodeE2E {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static KubernetesClient client;

  @BeforeAll
  static void makeRun() {
    client = RealNodeCluster.client();
    System.out.println(
        "[real node] make run's script to every sample Ready on real pods: "
            + RealNodeCluster.upSeconds()
            + " s");
  }

  /** The samples' namespaces: MonitoringE2E shares this cluster and breaks its own environments. */
  private static final List<String> SAMPLE_NAMESPACES =
      List.of("telemetry-dev", "telemetry-prod", "appenv-minimal");

  private static List<Pod> samplePods() {
    return SAMPLE_NAMESPACES.stream()
        .flatMap(
            ns ->
                client
                    .pods()
                    .inNamespace(ns)
                    .withLabel("app.kubernetes.io/managed-by", "appenv")
                    .list()
                    .getItems()
                    .stream())
        .toList();
  }

  @Test
  void everySamplePodRunsOnTheRealNodeWithReadyContainers() {
    Map<String, Node> nodes =
        client.nodes().list().getItems().stream()
            .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
    List<Pod> running =
        samplePods().stream().filter(p -> "Running".equals(p.getStatus().getPhase())).toList();

    assertThat(running)
        .as("app and database pods of the three samples")
        .hasSizeGreaterThanOrEqualTo(8);
    for (Pod pod : samplePods()) {
      Node node = nodes.get(pod.getSpec().getNodeName());
      String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
      assertThat(node).as(name + " is scheduled").isNotNull();
      assertThat(node.getMetadata().getAnnotations())
          .as(name + " runs on a kwok node, which starts nothing")
          .doesNotContainKey("kwok.x-k8s.io/node");
      assertThat(node.getMetadata().getLabels()).containsEntry("appenv.io/node", "real");
      if ("Running".equals(pod.getStatus().getPhase())) {
        assertThat(pod.getStatus().getContainerStatuses())
            .as(name + " has its containers ready")
            .allSatisfy(c -> assertThat(c.getReady()).isTrue())
            .allSatisfy(c -> assertThat(c.getContainerID()).startsWith("containerd://"));
      } else {
        assertThat(pod.getStatus().getPhase())
            .as(name + " is a Job's pod that ended well")
            .isEqualTo("Succeeded");
      }
    }
  }

  @Test
  void theOperatorRunsInTheClusterFromDeploy() {
    List<Pod> operators =
        client
            .pods()
            .inNamespace("appenv-system")
            .withLabel("app.kubernetes.io/name", "appenv-operator")
            .list()
            .getItems();

    assertThat(operators)
        .hasSize(2)
        .allSatisfy(
            pod -> {
              assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
              assertThat(pod.getStatus().getContainerStatuses())
                  .extracting(ContainerStatus::getImage)
                  .containsOnly("ghcr.io/appenv/operator:0.1.0");
            });
    assertThat(SAMPLE_NAMESPACES)
        .allSatisfy(
            ns ->
                assertThat(client.resources(AppEnvironment.class).inNamespace(ns).list().getItems())
                    .singleElement()
                    .satisfies(env -> assertThat(env.getStatus().getPhase()).hasToString("Ready")));
  }

  @Test
  void theAppTakesAReadingAndReturnsItThroughItsService() throws Exception {
    Map<String, String> keys = apiKeys();
    String base =
        "http://"
            + client
                .services()
                .inNamespace("telemetry-prod")
                .withName("telemetry")
                .get()
                .getSpec()
                .getClusterIP()
            + ":8080";
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String reading =
        "{\"readings\":[{\"deviceId\":\"real-node-e2e\",\"timestamp\":\""
            + at
            + "\",\"metric\":\"temp\",\"value\":19.25}]}";

    HttpResponse<String> sent =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/readings"))
                .header("X-API-Key", keys.get("INGEST_KEY"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(reading))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> read =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/v1/devices/real-node-e2e/readings?from="
                            + at.minusSeconds(60)
                            + "&to="
                            + at.plusSeconds(60)))
                .header("X-API-Key", keys.get("READ_KEY"))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> anonymous =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/devices"))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 299);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).contains("\"value\":19.25");
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void postgresTakesTheAppRolesGeneratedPasswordFromTheSecret() throws SQLException {
    String secretName =
        client
            .resources(AppEnvironment.class)
            .inNamespace("telemetry-prod")
            .withName("telemetry")
            .get()
            .getStatus()
            .getDatabase()
            .getSecretName();
    Secret secret = client.secrets().inNamespace("telemetry-prod").withName(secretName).get();
    String password =
        new String(
            Base64.getDecoder().decode(secret.getData().get(Postgres.APP_PASSWORD)),
            StandardCharsets.UTF_8);
    String url =
        "jdbc:postgresql://"
            + client
                .services()
                .inNamespace("telemetry-prod")
                .withName("telemetry-db")
                .get()
                .getSpec()
                .getClusterIP()
            + ":"
            + Postgres.PORT
            + "/telemetry";

    try (Connection app = connect(url, "app", password);
        ResultSet who =
            app.createStatement()
                .executeQuery(
                    "SELECT current_user, current_setting('server_version_num')::int / 10000")) {
      who.next();
      assertThat(who.getString(1)).isEqualTo("app");
      assertThat(who.getInt(2)).isEqualTo(17);
    }
    assertThatThrownBy(() -> connect(url, "app", password + "-wrong").close())
        .hasMessageContaining("password authentication failed");
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(url, properties);
  }

  /** The keys `make run` generated; the cluster holds only their hashes. */
  private static Map<String, String> apiKeys() throws IOException {
    String cache =
        System.getenv()
            .getOrDefault("APPENV_CACHE", System.getProperty("user.home") + "/.cache/appenv");
    return Files.readAllLines(Path.of(cache, "telemetry-api-keys.env")).stream()
        .filter(line -> line.contains("="))
        .collect(
            Collectors.toMap(
                line -> line.substring(0, line.indexOf('=')),
                line -> line.substring(line.indexOf('=') + 1)));
  }
}
