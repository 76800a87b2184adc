package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.Samples;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.PresetAlert;
import io.appenv.operator.api.Severity;
import io.appenv.operator.builders.AlertRulesBuilder;
import io.appenv.operator.builders.AppServiceMonitorBuilder;
import io.appenv.operator.upstream.PrometheusRule;
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
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real parts of the alarm loop, as processes on 127.0.0.1 that write into one work directory:
 * the telemetry app (a Pod of a colour or revision, healthy or failing some of its API calls),
 * Debian's Prometheus with the shipped scrape and rule intervals, and Debian's Alertmanager with
 * deploy/monitoring/alertmanager.yaml.
 */
final class AlarmStack {
  static final String READ_KEY = "alarm-loop-read-key";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path work;
  private final int prometheusPort;
  private final int alertmanagerPort;

  AlarmStack(Path work, int prometheusPort, int alertmanagerPort) {
    this.work = work;
    this.prometheusPort = prometheusPort;
    this.alertmanagerPort = alertmanagerPort;
  }

  /**
   * The dev sample without database and backups, with an error-rate alert quick enough for a test:
   * above 5 % for 30s, critical, rolling back.
   */
  static AppEnvironment environment(String namespace) {
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("dev.yaml"));
    env.getMetadata().setNamespace(namespace);
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

  /**
   * What Prometheus scrapes at /actuator/prometheus, with the labels a ServiceMonitor would give
   * it.
   */
  record Target(String job, int port, Map<String, String> labels) {
    /** A Pod of the app: the labels the environment's alert rules select on. */
    static Target pod(int port, String namespace, String service, String pod) {
      return new Target(
          "telemetry",
          port,
          Map.of("namespace", namespace, "service", service, "pod", pod, "container", "app"));
    }
  }

  /**
   * The app on a port of its own, answering API calls with 500 at the given rate ("0" for a healthy
   * one).
   */
  LocalProcess app(EmbeddedPostgres postgres, String name, int port, String faultRate)
      throws Exception {
    return LocalProcess.start(
        name,
        List.of(javaBin(), "-Xmx256m", "-jar", appJar().toString()),
        Map.of(
            "SERVER_PORT",
            String.valueOf(port),
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
        work);
  }

  /** The groups of a PrometheusRule, exactly as the operator applied them, as a rule file. */
  Path ruleFile(String name, PrometheusRule rules) throws Exception {
    Path file = work.resolve(name + ".rules.yaml");
    Files.writeString(file, Serialization.asYaml(Map.of("groups", rules.getSpec().getGroups())));
    return file;
  }

  /**
   * Prometheus with the ServiceMonitor's scrape interval and the PrometheusRule's evaluation
   * interval.
   */
  LocalProcess prometheus(String binary, List<Path> ruleFiles, List<Target> targets)
      throws Exception {
    Map<String, List<Target>> jobs = targets.stream().collect(Collectors.groupingBy(Target::job));
    StringBuilder scrape = new StringBuilder();
    jobs.forEach(
        (job, list) -> {
          scrape
              .append("  - job_name: ")
              .append(job)
              .append("\n    metrics_path: /actuator/prometheus\n    static_configs:\n");
          for (Target t : list) {
            scrape
                .append("      - targets: [\"127.0.0.1:")
                .append(t.port())
                .append("\"]\n        labels: ")
                .append(Serialization.asJson(t.labels()))
                .append('\n');
          }
        });
    Path config = work.resolve("prometheus.yaml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: %s
          evaluation_interval: %s
        rule_files: %s
        alerting:
          alertmanagers:
            - static_configs: [{targets: ["127.0.0.1:%d"]}]
        scrape_configs:
        %s"""
            .formatted(
                AppServiceMonitorBuilder.SCRAPE_INTERVAL,
                AlertRulesBuilder.EVALUATION_INTERVAL,
                Serialization.asJson(ruleFiles.stream().map(Path::toString).toList()),
                alertmanagerPort,
                scrape));
    Path data = work.resolve("prometheus-data");
    deleteRecursively(data);
    return LocalProcess.start(
            "prometheus",
            List.of(
                binary,
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + prometheusPort),
            Map.of(),
            work)
        .awaitReady("http://127.0.0.1:" + prometheusPort + "/-/ready", Duration.ofSeconds(60));
  }

  /**
   * deploy/monitoring/alertmanager.yaml as shipped, pointed at this webhook URL and a file with
   * this token.
   */
  LocalProcess alertmanager(String binary, String webhookUrl, String token) throws Exception {
    Path tokenFile = work.resolve("webhook-token");
    Files.writeString(tokenFile, token);
    String shipped =
        Files.readString(
            Samples.crdsDir()
                .resolveSibling("deploy")
                .resolve("monitoring")
                .resolve("alertmanager.yaml"));
    String config =
        shipped
            .replace(
                "http://appenv-operator.appenv-system.svc:8080/webhooks/alertmanager", webhookUrl)
            .replace("/etc/alertmanager/secrets/appenv-webhook-token/token", tokenFile.toString());
    assertThat(config)
        .as("the shipped config still has the URL and token path this test replaces")
        .isNotEqualTo(shipped)
        .contains(tokenFile.toString())
        .contains(webhookUrl);
    Path configFile = work.resolve("alertmanager.yaml");
    Files.writeString(configFile, config);
    Path data = work.resolve("alertmanager-data");
    deleteRecursively(data);
    return LocalProcess.start(
            "alertmanager",
            List.of(
                binary,
                "--config.file=" + configFile,
                "--storage.path=" + data,
                "--web.listen-address=127.0.0.1:" + alertmanagerPort,
                "--cluster.listen-address="),
            Map.of(),
            work)
        .awaitReady("http://127.0.0.1:" + alertmanagerPort + "/-/ready", Duration.ofSeconds(60));
  }

  /** The result vector of an instant query. */
  @SuppressWarnings("unchecked")
  List<Object> query(String promql) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        prometheusUrl()
                            + "/api/v1/query?query="
                            + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Object> body = Serialization.unmarshal(response.body(), Map.class);
    assertThat(body)
        .as("Prometheus' answer to " + promql + ": " + response.body())
        .containsKey("data");
    return (List<Object>) ((Map<String, Object>) body.get("data")).get("result");
  }

  /** Until Prometheus has scraped API calls (not probes) of {@code namespace}'s app. */
  void awaitApiSeries(String namespace, Duration atMost) {
    await()
        .atMost(atMost)
        .until(
            () ->
                !query(
                        "http_server_requests_seconds_count{namespace=\""
                            + namespace
                            + "\",uri!~\"/actuator.*\"}")
                    .isEmpty());
  }

  @SuppressWarnings("unchecked")
  Set<String> metricNames() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(prometheusUrl() + "/api/v1/label/__name__/values"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Object> body = Serialization.unmarshal(response.body(), Map.class);
    return new TreeSet<>((List<String>) body.get("data"));
  }

  String prometheusUrl() {
    return "http://127.0.0.1:" + prometheusPort;
  }

  static Path appJar() throws Exception {
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

  static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static void deleteRecursively(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
