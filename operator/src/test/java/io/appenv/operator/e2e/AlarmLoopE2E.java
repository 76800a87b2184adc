package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.AppEnvOperatorApplication;
import io.appenv.operator.Samples;
import io.appenv.operator.Tools;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.PresetAlert;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.Severity;
import io.appenv.operator.model.AlertRulesBuilder;
import io.appenv.operator.model.AppServiceMonitorBuilder;
import io.appenv.operator.monitoring.Dashboards;
import io.appenv.operator.upstream.PrometheusRule;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole alarm loop with real parts: the telemetry app as two local processes standing for the
 * blue and green Pods (v1 healthy, v2 answering half its API calls with 500), Debian's Prometheus
 * scraping them with the labels the ServiceMonitor gives and evaluating the rules of the
 * environment's PrometheusRule, Debian's Alertmanager routing with
 * deploy/monitoring/alertmanager.yaml to the operator's webhook with the token, and the operator on
 * the local control plane. Traffic follows the Service's selector, as kube-proxy would. Release v2,
 * and the loop must bring traffic back to v1 and record the time to restore, on its own.
 */
@Tag("e2e")
class AlarmLoopE2E {
  private static final String NS = "e2e-alarm-loop";
  private static final String NAME = "telemetry";
  private static final String TOKEN = "alarm-loop-token";
  private static final String READ_KEY = "alarm-loop-read-key";
  private static final int OPERATOR_PORT = 28080;
  private static final Map<String, Integer> APP_PORTS = Map.of("blue", 28081, "green", 28082);
  private static final int PROMETHEUS_PORT = 29090;
  private static final int ALERTMANAGER_PORT = 29093;
  private static final Path WORK = Path.of("target", "alarm-loop").toAbsolutePath();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final AtomicInteger errors = new AtomicInteger();
  private volatile String color = "blue";
  private volatile Instant firstErrorAt;

  @Test
  void aBadReleaseIsRolledBackByItsOwnAlert() throws Exception {
    String prometheusBin = Tools.require("prometheus", "prometheus");
    String alertmanagerBin = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    Path appJar = appJar();
    KubernetesClient client = LocalCluster.client();
    System.setProperty("kubeconfig", LocalCluster.kubeconfig().toString());
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    Files.createDirectories(WORK);

    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        ConfigurableApplicationContext operator =
            new SpringApplicationBuilder(AppEnvOperatorApplication.class)
                .run(
                    "--server.port=" + OPERATOR_PORT,
                    "--server.address=127.0.0.1",
                    "--appenv.webhook.token=" + TOKEN,
                    "--appenv.watch-namespaces=" + NS,
                    "--spring.profiles.active=plain",
                    "--logging.level.root=WARN");
        LocalProcess blue = app(appJar, postgres, "blue", "0");
        LocalProcess green = app(appJar, postgres, "green", "0.5")) {
      blue.awaitReady(appUrl("blue", "/actuator/health/readiness"), Duration.ofSeconds(120));
      green.awaitReady(appUrl("green", "/actuator/health/readiness"), Duration.ofSeconds(120));

      client.resource(environment()).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> phase(client) == Phase.Ready);
      PrometheusRule rules =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> client.resources(PrometheusRule.class).inNamespace(NS).withName(NAME).get(),
                  r -> r != null);

      try (LocalProcess alertmanager = alertmanager(alertmanagerBin);
          LocalProcess prometheus = prometheus(prometheusBin, rules)) {
        Thread traffic = startTraffic(client);
        // Prometheus must know v1's healthy series before the release, as it would in a cluster.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    !query(
                            "http_server_requests_seconds_count{namespace=\""
                                + NS
                                + "\",uri!~\"/actuator.*\"}")
                        .isEmpty());

        client
            .resources(AppEnvironment.class)
            .inNamespace(NS)
            .withName(NAME)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"app\":{\"image\":\"ghcr.io/appenv/telemetry:0.2.0\"}}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> firstErrorAt != null);
        Instant errorsBegan = firstErrorAt;

        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> "blue".equals(color));
        Duration alarmToRestore = Duration.between(errorsBegan, Instant.now());
        sending.set(false);
        traffic.join();

        AppEnvironment rolledBack =
            client.resources(AppEnvironment.class).inNamespace(NS).withName(NAME).get();
        ReleaseRecord bad = rolledBack.getStatus().getHistory().get(0);
        assertThat(bad.getResult()).isEqualTo("RolledBack");
        assertThat(bad.getImage()).endsWith(":0.2.0");
        assertThat(bad.getReason()).contains("AppErrorRateHigh");
        assertThat(bad.getTimeToRestoreSeconds()).isPositive();
        assertThat(rolledBack.getSpec().getApp().getImage())
            .as("the spec is never written")
            .endsWith(":0.2.0");
        await().atMost(Duration.ofSeconds(30)).until(() -> phase(client) == Phase.RolledBack);
        // Prometheus scrapes the operator too: the time to restore is in the KPI histogram.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    !query(
                            "appenv_time_to_restore_seconds_count{appenv_namespace=\""
                                + NS
                                + "\"} == 1")
                        .isEmpty());

        // Every metric the dashboards show exists in this Prometheus, recording rules included
        // (evaluated every
        // minute). Failed reconciles are the one series a healthy run never creates.
        Set<String> expected = new TreeSet<>(Dashboards.metricNames());
        expected.remove("operator_sdk_reconciliations_failed_total");
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(5))
            .untilAsserted(
                () ->
                    assertThat(metricNamesInPrometheus())
                        .as("metrics the dashboards use")
                        .containsAll(expected));

        String report =
            """
            ALARM LOOP (scrape %s, rule evaluation %s, alert 'for' 30s, Alertmanager group_wait 1s)
            first 500 answered -> traffic back on v1: %.1f s; alert start -> traffic back (timeToRestoreSeconds): %.1f s
            """
                .formatted(
                    AppServiceMonitorBuilder.SCRAPE_INTERVAL,
                    AlertRulesBuilder.EVALUATION_INTERVAL,
                    alarmToRestore.toMillis() / 1000.0,
                    bad.getTimeToRestoreSeconds());
        System.out.println(report);
        Files.writeString(WORK.resolve("result.txt"), report);
      }
    }
  }

  /**
   * The dev sample, with an error-rate alert quick enough for a test: above 5 % for 30s, critical.
   */
  private static AppEnvironment environment() {
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("dev.yaml"));
    env.getMetadata().setNamespace(NS);
    env.getSpec().getApp().setEnv(List.of());
    env.getSpec().setDatabase(null);
    env.getSpec().setBackup(null);
    PresetAlert errorRate = new PresetAlert();
    errorRate.setThreshold("0.05");
    errorRate.setForDuration("30s");
    errorRate.setSeverity(Severity.CRITICAL);
    errorRate.setRollback(true);
    env.getSpec().getMonitoring().getAlerts().setErrorRate(errorRate);
    return env;
  }

  private static Phase phase(KubernetesClient client) {
    AppEnvironment env =
        client.resources(AppEnvironment.class).inNamespace(NS).withName(NAME).get();
    return env == null || env.getStatus() == null ? null : env.getStatus().getPhase();
  }

  /** Sends API calls to the colour the Service selects, ten a second, as kube-proxy routes them. */
  private Thread startTraffic(KubernetesClient client) {
    Thread thread =
        new Thread(
            () -> {
              long lastLookup = 0;
              while (sending.get()) {
                try {
                  if (System.nanoTime() - lastLookup > 200_000_000L) {
                    color =
                        client
                            .services()
                            .inNamespace(NS)
                            .withName(NAME)
                            .get()
                            .getSpec()
                            .getSelector()
                            .get("platform.appenv.io/color");
                    lastLookup = System.nanoTime();
                  }
                  HttpResponse<Void> response =
                      HTTP.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      appUrl(
                                          color,
                                          "/api/v1/devices/boiler-1/readings?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")))
                              .header("X-API-Key", READ_KEY)
                              .timeout(Duration.ofSeconds(5))
                              .build(),
                          HttpResponse.BodyHandlers.discarding());
                  if (response.statusCode() >= 500) {
                    errors.incrementAndGet();
                    if (firstErrorAt == null) {
                      firstErrorAt = Instant.now();
                    }
                  }
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  // a lookup or a request failed: try again on the next round
                }
              }
            },
            "alarm-loop-traffic");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static LocalProcess app(
      Path jar, EmbeddedPostgres postgres, String color, String faultRate) throws Exception {
    return LocalProcess.start(
        "app-" + color,
        List.of(javaBin(), "-Xmx256m", "-jar", jar.toString()),
        Map.of(
            "SERVER_PORT",
            String.valueOf(APP_PORTS.get(color)),
            "SERVER_ADDRESS",
            "127.0.0.1",
            "SPRING_DATASOURCE_URL",
            "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
            "SPRING_DATASOURCE_USERNAME",
            "postgres",
            "SPRING_DATASOURCE_PASSWORD",
            "",
            "TELEMETRY_API_KEYS",
            sha256(READ_KEY) + ":read",
            "TELEMETRY_FAULT_ERROR_RATE",
            faultRate),
        WORK);
  }

  private static LocalProcess prometheus(String binary, PrometheusRule rules) throws Exception {
    Path rulesFile = WORK.resolve("environment.rules.yaml");
    // The rules exactly as the operator applied them in the PrometheusRule.
    Files.writeString(
        rulesFile, Serialization.asYaml(Map.of("groups", rules.getSpec().getGroups())));
    Path recording = Dashboards.recordingRuleFile();
    String targets =
        APP_PORTS.entrySet().stream()
            .map(
                e ->
                    """
              - targets: ["127.0.0.1:%d"]
                labels: {namespace: %s, service: %s, pod: %s-%s-0, container: app}
        """
                        .formatted(e.getValue(), NS, NAME, NAME, e.getKey()))
            .reduce("", String::concat);
    Path config = WORK.resolve("prometheus.yaml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: %s
          evaluation_interval: %s
        rule_files: ["%s", "%s"]
        alerting:
          alertmanagers:
            - static_configs: [{targets: ["127.0.0.1:%d"]}]
        scrape_configs:
          - job_name: telemetry
            metrics_path: /actuator/prometheus
            static_configs:
        %s
          - job_name: appenv-operator
            metrics_path: /actuator/prometheus
            static_configs: [{targets: ["127.0.0.1:%d"]}]
        """
            .formatted(
                AppServiceMonitorBuilder.SCRAPE_INTERVAL,
                AlertRulesBuilder.EVALUATION_INTERVAL,
                rulesFile,
                recording,
                ALERTMANAGER_PORT,
                targets,
                OPERATOR_PORT));
    Path data = WORK.resolve("prometheus-data");
    deleteRecursively(data);
    return LocalProcess.start(
            "prometheus",
            List.of(
                binary,
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT),
            Map.of(),
            WORK)
        .awaitReady("http://127.0.0.1:" + PROMETHEUS_PORT + "/-/ready", Duration.ofSeconds(60));
  }

  /**
   * deploy/monitoring/alertmanager.yaml as shipped, pointed at this operator and this token file.
   */
  private static LocalProcess alertmanager(String binary) throws Exception {
    Path tokenFile = WORK.resolve("webhook-token");
    Files.writeString(tokenFile, TOKEN);
    String shipped =
        Files.readString(
            Samples.crdsDir()
                .resolveSibling("deploy")
                .resolve("monitoring")
                .resolve("alertmanager.yaml"));
    String config =
        shipped
            .replace(
                "http://appenv-operator.appenv-system.svc:8080/webhooks/alertmanager",
                "http://127.0.0.1:" + OPERATOR_PORT + "/webhooks/alertmanager")
            .replace("/etc/alertmanager/secrets/appenv-webhook-token/token", tokenFile.toString());
    assertThat(config)
        .as("the shipped config still has the URL and token path this test replaces")
        .isNotEqualTo(shipped)
        .contains(tokenFile.toString())
        .contains("127.0.0.1:" + OPERATOR_PORT);
    Path configFile = WORK.resolve("alertmanager.yaml");
    Files.writeString(configFile, config);
    Path data = WORK.resolve("alertmanager-data");
    deleteRecursively(data);
    return LocalProcess.start(
            "alertmanager",
            List.of(
                binary,
                "--config.file=" + configFile,
                "--storage.path=" + data,
                "--web.listen-address=127.0.0.1:" + ALERTMANAGER_PORT,
                "--cluster.listen-address="),
            Map.of(),
            WORK)
        .awaitReady("http://127.0.0.1:" + ALERTMANAGER_PORT + "/-/ready", Duration.ofSeconds(60));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> metricNamesInPrometheus() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/label/__name__/values"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Object> body = Serialization.unmarshal(response.body(), Map.class);
    return new TreeSet<>((List<String>) body.get("data"));
  }

  /** The result vector of an instant query on the test's Prometheus. */
  @SuppressWarnings("unchecked")
  private static List<Object> query(String promql) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + PROMETHEUS_PORT
                            + "/api/v1/query?query="
                            + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Object> body = Serialization.unmarshal(response.body(), Map.class);
    return (List<Object>) ((Map<String, Object>) body.get("data")).get("result");
  }

  private static String appUrl(String color, String path) {
    return "http://127.0.0.1:" + APP_PORTS.get(color) + path;
  }

  private static Path appJar() throws Exception {
    Path target = Samples.crdsDir().resolveSibling("app").resolve("target");
    try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      return files
          .filter(p -> p.getFileName().toString().matches("appenv-telemetry-.*\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no app jar in "
                          + target
                          + ": build it with `mvn -pl app package -DskipTests` (make e2e does)"));
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void deleteRecursively(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
