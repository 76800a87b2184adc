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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
// stack stay up until the JVM ends, so every kwok-only class (GitOpsE2E last, DEFAULT + 1) runs
// before them, on a quiet machine; the samples as `make run` leaves them, then
// ReleaseCannotStartE2E,
// NetworkPolicyE2E, BackupRestoreE2E, and MonitoringE2E, which breaks its own environments.
@Order(Order.DEFAULT + 2)
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
    Map<String, String> keys = RealNodeCluster.apiKeys();
    String base = prodAppUrl();
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
    String url = prodDatabaseUrl();
    String password = prodPassword(Postgres.APP_PASSWORD);

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

  @Test
  void theAppMigratesAsOwnerWritesAsAppAndReadsAsReadonly() throws Exception {
    // A consumption query through the Service, so the read-only pool has connected.
    HttpResponse<String> devices =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(prodAppUrl() + "/api/v1/devices"))
                .header("X-API-Key", RealNodeCluster.apiKeys().get("READ_KEY"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);
    String appPods =
        client
            .pods()
            .inNamespace("telemetry-prod")
            .withLabel("app.kubernetes.io/component", "app")
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getStatus().getPodIP() != null)
            .map(p -> "'" + p.getStatus().getPodIP() + "'")
            .collect(Collectors.joining(","));
    String url = prodDatabaseUrl();

    try (Connection superuser =
        connect(url, "postgres", prodPassword(Postgres.SUPERUSER_PASSWORD))) {
      assertThat(strings(superuser, "SELECT DISTINCT installed_by FROM flyway_schema_history"))
          .as("Flyway migrated as")
          .containsExactly("owner");
      assertThat(
              strings(
                  superuser,
                  "SELECT DISTINCT usename FROM pg_stat_activity WHERE host(client_addr) IN ("
                      + appPods
                      + ")"))
          .as("the app's pods are connected as")
          .contains("app", "readonly");
    }
    try (Connection readonly = connect(url, "readonly", prodPassword(Postgres.READONLY_PASSWORD))) {
      assertThat(strings(readonly, "SELECT count(*) FROM reading")).hasSize(1);
      assertThatThrownBy(
              () ->
                  readonly
                      .createStatement()
                      .execute("INSERT INTO device (device_id) VALUES ('readonly-e2e')"))
          .as("readonly writes")
          .hasMessageContaining("permission denied");
    }
    try (Connection app = connect(url, "app", prodPassword(Postgres.APP_PASSWORD))) {
      assertThatThrownBy(() -> app.createStatement().execute("CREATE TABLE app_e2e (i int)"))
          .as("app creates a table")
          .hasMessageContaining("permission denied");
      assertThatThrownBy(
              () -> app.createStatement().execute("ALTER TABLE reading ADD COLUMN app_e2e int"))
          .as("app changes a table")
          .hasMessageContaining("must be owner");
      assertThatThrownBy(() -> app.createStatement().execute("DROP TABLE reading"))
          .as("app drops a table")
          .hasMessageContaining("must be owner");
    }
  }

  private static List<String> strings(Connection connection, String sql) throws SQLException {
    List<String> values = new java.util.ArrayList<>();
    try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  /** The prod database through its Service's cluster IP (kube-proxy on this machine). */
  private static String prodDatabaseUrl() {
    return "jdbc:postgresql://"
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
  }

  private static String prodAppUrl() {
    return "http://"
        + client
            .services()
            .inNamespace("telemetry-prod")
            .withName("telemetry")
            .get()
            .getSpec()
            .getClusterIP()
        + ":8080";
  }

  /** A generated password from the prod environment's credentials Secret. */
  private static String prodPassword(String key) {
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
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(url, properties);
  }
}
