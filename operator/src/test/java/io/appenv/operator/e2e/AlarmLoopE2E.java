package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.AppEnvOperatorApplication;
import io.appenv.operator.Tools;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.builders.AlertRulesBuilder;
import io.appenv.operator.builders.AppServiceMonitorBuilder;
import io.appenv.operator.monitoring.Dashboards;
import io.appenv.operator.upstream.PrometheusRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
  private static final int OPERATOR_PORT = 28080;
  private static final Map<String, Integer> APP_PORTS = Map.of("blue", 28081, "green", 28082);
  private static final int PROMETHEUS_PORT = 29090;
  private static final int ALERTMANAGER_PORT = 29093;
  private static final Path WORK = Path.of("target", "alarm-loop").toAbsolutePath();

  @Test
  void aBadReleaseIsRolledBackByItsOwnAlert() throws Exception {
    String prometheusBin = Tools.require("prometheus", "prometheus");
    String alertmanagerBin = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    KubernetesClient client = LocalCluster.client();
    LiveEnvironment env = new LiveEnvironment(client, NS, NAME);
    System.setProperty("kubeconfig", LocalCluster.kubeconfig().toString());
    SampleEnvironments.namespace(client, NS);
    Files.createDirectories(WORK);
    AlarmStack stack = new AlarmStack(WORK, PROMETHEUS_PORT, ALERTMANAGER_PORT);

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
        LocalProcess blue = stack.app(postgres, "app-blue", APP_PORTS.get("blue"), "0");
        LocalProcess green = stack.app(postgres, "app-green", APP_PORTS.get("green"), "0.5")) {
      blue.awaitReady(appUrl("blue", "/actuator/health/readiness"), Duration.ofSeconds(120));
      green.awaitReady(appUrl("green", "/actuator/health/readiness"), Duration.ofSeconds(120));

      client.resource(AlarmStack.environment(NS)).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> env.phase() == Phase.Ready);
      PrometheusRule rules =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> client.resources(PrometheusRule.class).inNamespace(NS).withName(NAME).get(),
                  r -> r != null);
      // deploy/monitoring/recording-rules.yaml is a PrometheusRule: its spec as a plain rule file.
      Path recording = Dashboards.recordingRuleFile();
      List<AlarmStack.Target> targets = new ArrayList<>();
      APP_PORTS.forEach(
          (color, port) ->
              targets.add(AlarmStack.Target.pod(port, NS, NAME, NAME + "-" + color + "-0")));
      // Prometheus scrapes the operator too: the time to restore is in the KPI histogram.
      targets.add(new AlarmStack.Target("appenv-operator", OPERATOR_PORT, Map.of()));

      try (LocalProcess alertmanager =
              stack.alertmanager(
                  alertmanagerBin,
                  "http://127.0.0.1:" + OPERATOR_PORT + "/webhooks/alertmanager",
                  TOKEN);
          LocalProcess prometheus =
              stack.prometheus(
                  prometheusBin, List.of(stack.ruleFile(NAME, rules), recording), targets);
          Traffic traffic = Traffic.toLocalApp("alarm-loop", () -> port(env.servingColor()))) {
        // Prometheus must know v1's healthy series before the release, as it would in a cluster.
        stack.awaitApiSeries(NS, Duration.ofSeconds(60));

        env.setImage("ghcr.io/appenv/telemetry:0.2.0");
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic.firstErrorAt() != null);
        Instant errorsBegan = traffic.firstErrorAt();

        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> traffic.port() == APP_PORTS.get("blue"));
        Duration alarmToRestore = Duration.between(errorsBegan, Instant.now());
        traffic.close();

        AppEnvironment rolledBack = env.get();
        ReleaseRecord bad = rolledBack.getStatus().getHistory().get(0);
        assertThat(bad.getResult()).isEqualTo("RolledBack");
        assertThat(bad.getImage()).endsWith(":0.2.0");
        assertThat(bad.getReason()).contains("AppErrorRateHigh");
        assertThat(bad.getTimeToRestoreSeconds()).isPositive();
        assertThat(rolledBack.getSpec().getApp().getImage())
            .as("the spec is never written")
            .endsWith(":0.2.0");
        await().atMost(Duration.ofSeconds(30)).until(() -> env.phase() == Phase.RolledBack);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    !stack
                        .query(
                            "appenv_time_to_restore_seconds_count{appenv_namespace=\""
                                + NS
                                + "\"} == 1")
                        .isEmpty());

        // Every metric the dashboards show exists in this Prometheus,
        // recording rules included (evaluated every minute). Failed
        // reconciles are the one series a healthy run never creates.
        Set<String> expected = new TreeSet<>(Dashboards.metricNames());
        expected.remove("operator_sdk_reconciliations_failed_total");
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(5))
            .untilAsserted(
                () ->
                    assertThat(stack.metricNames())
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

  /** The port of the app process standing for a colour's Pod; null for no colour. */
  private static Integer port(String color) {
    return color == null ? null : APP_PORTS.get(color);
  }

  private static String appUrl(String color, String path) {
    return "http://127.0.0.1:" + APP_PORTS.get(color) + path;
  }
}
