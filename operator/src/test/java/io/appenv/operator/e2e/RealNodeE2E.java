package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appenv.operator.Tools;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.Postgres;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The samples on the local cluster's container-running node, as `make run` leaves them: every
 * container runs for real (no kwok node under any of them), the app answers through its Service,
 * and PostgreSQL takes the app role's generated password from the environment's Secret.
 */
@Tag("e2e")
// After the kwok-only classes (junit-platform.properties orders classes by @Order): the real
// node and its stack stay up until the JVM ends, so those run before them, on a quiet machine;
// GitOpsE2E, whose Argo CD is built last, comes after. First the samples as `make run` leaves
// them, then ReleaseCannotStartE2E, NetworkPolicyE2E, ReleasesUnderTrafficE2E,
// BackupRestoreE2E, and MonitoringE2E, which breaks its own environments.
@Order(Order.DEFAULT + 2)
class RealNodeE2E {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int INGEST_ROWS = 50_000;
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
                    .withLabel(Labels.MANAGED_BY, Labels.MANAGER)
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
    List<Pod> operators = RealNodeCluster.operatorPods();

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
            .withLabel(Labels.COMPONENT, Labels.COMPONENT_APP)
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

  /**
   * The same rows into the same in-cluster database, side by side: a CSV import through the app's
   * Service (validation, staging, ON CONFLICT) and a raw COPY over JDBC as the app role. Then the
   * imported rows come back out as readings and hourly aggregates.
   */
  @Test
  void ingestionThroughTheServiceBesideRawCopyIntoTheSameDatabase() throws Exception {
    Map<String, String> keys = RealNodeCluster.apiKeys();
    String run = Long.toString(System.currentTimeMillis(), 36);
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    String csvDevice = "csv-" + run;
    String copyDevice = "copy-" + run;

    long csvStart = System.nanoTime();
    HttpResponse<String> imported =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(prodAppUrl() + "/api/v1/readings/import"))
                .header("X-API-Key", keys.get("INGEST_KEY"))
                .header("Content-Type", "text/csv")
                .timeout(Duration.ofMinutes(3))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "device_id,timestamp,metric,value,tags\n" + csvRows(csvDevice, from, ",")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double csvSeconds = (System.nanoTime() - csvStart) / 1e9;
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    assertThat(imported.body()).contains("\"inserted\":" + INGEST_ROWS);

    double copySeconds;
    try (Connection app = connect(prodDatabaseUrl(), "app", prodPassword(Postgres.APP_PASSWORD))) {
      app.createStatement().execute("INSERT INTO device (device_id) VALUES ('" + copyDevice + "')");
      long copyStart = System.nanoTime();
      long copied =
          new CopyManager(app.unwrap(BaseConnection.class))
              .copyIn(
                  "COPY reading (device_id, ts, metric, value) FROM STDIN WITH (FORMAT csv)",
                  new StringReader(csvRows(copyDevice, from, "")));
      copySeconds = (System.nanoTime() - copyStart) / 1e9;
      assertThat(copied).isEqualTo(INGEST_ROWS);
    }
    String line =
        "%d rows into prod's database on the real node: CSV import through the Service %.2f s (%.0f rows/s), raw COPY over JDBC as app %.2f s (%.0f rows/s), import at %.0f %% of COPY"
            .formatted(
                INGEST_ROWS,
                csvSeconds,
                INGEST_ROWS / csvSeconds,
                copySeconds,
                INGEST_ROWS / copySeconds,
                100 * copySeconds / csvSeconds);
    System.out.println("[real node] " + line);
    Files.writeString(Path.of("target", "real-node-ingestion.txt"), line + "\n");

    HttpResponse<String> hourly =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        prodAppUrl()
                            + "/api/v1/devices/"
                            + csvDevice
                            + "/aggregates?metric=temp&window=hour&from="
                            + from
                            + "&to="
                            + from.plusSeconds(3 * 3600)))
                .header("X-API-Key", keys.get("READ_KEY"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(hourly.statusCode()).as(hourly.body()).isEqualTo(200);
    // One reading a second: 3,600 in each of the first hours, their mean in the middle.
    assertThat(hourly.body()).contains("\"count\":3600");
  }

  /**
   * The chart page, through `kubectl port-forward` to the app's Service, in Debian's headless
   * Chromium: the page draws every reading (the canvas says how many points it plotted) and the
   * screenshot has the lines in it, not a blank page. The screenshot goes to
   * target/chart-real-node.png (docs/images/ keeps one).
   */
  @Test
  void theChartPageDrawsTheReadingsThroughAPortForward() throws Exception {
    String chromium = Tools.require("chromium", "chromium");
    Map<String, String> keys = RealNodeCluster.apiKeys();
    String device = "chart-" + Long.toString(System.currentTimeMillis(), 36);
    Instant from = Instant.parse("2026-02-01T00:00:00Z");
    List<String> readings = new ArrayList<>();
    for (int i = 0; i < 180; i++) {
      Instant at = from.plusSeconds(60L * i);
      readings.add(reading(device, at, "temp", 20 + Math.sin(i / 10.0) * 3));
      readings.add(reading(device, at, "humidity", 40 + Math.cos(i / 15.0) * 5));
    }
    HttpResponse<String> sent =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(prodAppUrl() + "/api/v1/readings"))
                .header("X-API-Key", keys.get("INGEST_KEY"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"readings\":[" + String.join(",", readings) + "]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

    Process forward =
        new ProcessBuilder(
                Tools.kubectl(),
                "--kubeconfig",
                RealNodeCluster.kubeconfig().toString(),
                "port-forward",
                "-n",
                "telemetry-prod",
                "svc/telemetry",
                ":8080")
            .redirectErrorStream(true)
            .start();
    try {
      // "Forwarding from 127.0.0.1:PORT -> 8080"
      String first =
          new BufferedReader(
                  new InputStreamReader(forward.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertThat(first).as("kubectl port-forward").startsWith("Forwarding from 127.0.0.1:");
      String port = first.replaceAll("^Forwarding from 127\\.0\\.0\\.1:(\\d+) .*$", "$1");
      String url =
          "http://127.0.0.1:"
              + port
              + "/#key="
              + keys.get("READ_KEY")
              + "&device="
              + device
              + "&from="
              + from
              + "&to="
              + from.plusSeconds(86_400);
      Path png = Path.of("target", "chart-real-node.png").toAbsolutePath();
      Files.deleteIfExists(png);

      String dom = chromium(chromium, url, "--dump-dom");
      chromium(chromium, url, "--screenshot=" + png, "--window-size=1200,800");

      assertThat(dom)
          .contains("data-state=\"rendered\"")
          .contains("data-plotted-points=\"" + readings.size() + "\"");
      long colored = coloredPixels(ImageIO.read(png.toFile()));
      System.out.println("[real node] chart screenshot: " + colored + " coloured pixels, " + png);
      assertThat(colored).as("pixels of the plotted lines in the screenshot").isGreaterThan(2_000);
    } finally {
      forward.destroy();
    }
  }

  /** Pixels of a clear colour (the plotted lines), not white, grey or black (page, grid, text). */
  private static long coloredPixels(BufferedImage image) {
    long colored = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
          colored++;
        }
      }
    }
    return colored;
  }

  private static String reading(String device, Instant at, String metric, double value) {
    return "{\"deviceId\":\"%s\",\"timestamp\":\"%s\",\"metric\":\"%s\",\"value\":%.3f}"
        .formatted(device, at, metric, value);
  }

  /** Debian's Chromium, headless, on one page; returns what it printed (the DOM for --dump-dom). */
  private static String chromium(String chromium, String url, String... mode) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=15000"));
    command.addAll(List.of(mode));
    command.add(url);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("chromium within 90 s").isTrue();
    return out;
  }

  /**
   * {@link #INGEST_ROWS} readings of one device, one a second, as CSV lines ({@code tags} column:
   * the suffix).
   */
  private static String csvRows(String device, Instant from, String tagsColumn) {
    StringBuilder rows = new StringBuilder(INGEST_ROWS * 48);
    for (int i = 0; i < INGEST_ROWS; i++) {
      rows.append(device)
          .append(',')
          .append(from.plusSeconds(i))
          .append(",temp,")
          .append(20 + (i % 600) / 100.0)
          .append(tagsColumn)
          .append('\n');
    }
    return rows.toString();
  }

  private static List<String> strings(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
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
