package io.appenv.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.Samples;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.Tools;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.builders.AlertRulesBuilder;
import io.appenv.operator.upstream.PrometheusRuleSpec.Rule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated alert rules, checked and unit-tested by Prometheus's own promtool: every sample's
 * rules parse, and each preset fires once its condition has held for its 'for' and stays silent
 * below its threshold. The series are what the app (through its ServiceMonitor) and
 * kube-state-metrics expose.
 */
class PromtoolRulesTest {
  private static final String NS = "shop-prod";
  private static final String APP = "namespace=\"" + NS + "\",service=\"shop\"";
  private static final String POD =
      "namespace=\"" + NS + "\",container=\"app\",pod=\"shop-blue-5d8f7-x2x9k\"";
  private static final String CRONJOB = "namespace=\"" + NS + "\",cronjob=\"shop-backup\"";

  @TempDir Path dir;

  /** Prod defaults: error rate 2 % for 2m, p95 0.5s for 5m, 3 restarts in 10m, backups daily. */
  private static AppEnvironment prod() {
    return TestEnvironments.rolling(
        NS,
        "shop",
        spec -> {
          spec.setEnvironment(EnvironmentType.PROD);
          spec.setDatabase(new DatabaseSpec());
          spec.setBackup(new BackupSpec());
        });
  }

  @Test
  void everySamplesRulesPassPromtoolCheck() throws Exception {
    List<Path> samples;
    try (Stream<Path> files = Files.list(Samples.samplesDir())) {
      samples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(samples).isNotEmpty();
    for (Path sample : samples) {
      AppEnvironment env = Samples.appEnvironment(sample);
      Path rules = dir.resolve(sample.getFileName().toString().replace(".yaml", ".rules.yaml"));
      Files.writeString(rules, ruleFile(env));

      String output = promtool("check", "rules", rules.toString());

      assertThat(output).as(sample.toString()).contains("SUCCESS");
    }
  }

  @Test
  void eachPresetFiresAfterItsForAndStaysSilentBelowItsThreshold() throws Exception {
    AppEnvironment env = prod();
    Files.writeString(dir.resolve("rules.yaml"), ruleFile(env));
    Map<String, Rule> rules = new LinkedHashMap<>();
    AlertRulesBuilder.build(env)
        .getSpec()
        .getGroups()
        .get(0)
        .getRules()
        .forEach(r -> rules.put(r.getAlert(), r));
    List<Map<String, Object>> tests = new ArrayList<>();

    String ok =
        "http_server_requests_seconds_count{"
            + APP
            + ",uri=\"/api/readings\",method=\"GET\",status=\"200\"}";
    String failed =
        "http_server_requests_seconds_count{"
            + APP
            + ",uri=\"/api/readings\",method=\"GET\",status=\"500\"}";
    // Health checks answer 200 a hundred times a second; counted, they would hide the errors.
    String health =
        "http_server_requests_seconds_count{"
            + APP
            + ",uri=\"/actuator/health\",method=\"GET\",status=\"200\"}";
    tests.add(
        group(
            "error rate 17 % (2 % allowed)",
            Map.of(ok, "0+15x60", failed, "0+3x60", health, "0+1500x60"),
            silentAt(rules, "AppErrorRateHigh", "1m"),
            firingAt(rules, "AppErrorRateHigh", "5m")));
    tests.add(
        group(
            "error rate 1 %",
            Map.of(ok, "0+15x60", failed, "0+0.15x60"),
            silentAt(rules, "AppErrorRateHigh", "10m")));

    String bucket =
        "http_server_requests_seconds_bucket{"
            + APP
            + ",uri=\"/api/readings\",method=\"GET\",status=\"200\",le=";
    tests.add(
        group(
            "every request between 0.5s and 1s",
            Map.of(
                bucket + "\"0.1\"}",
                "0x60",
                bucket + "\"0.5\"}",
                "0x60",
                bucket + "\"1.0\"}",
                "0+10x60",
                bucket + "\"+Inf\"}",
                "0+10x60"),
            silentAt(rules, "AppLatencyP95High", "3m"),
            firingAt(rules, "AppLatencyP95High", "8m")));
    tests.add(
        group(
            "every request under 0.1s",
            Map.of(
                bucket + "\"0.1\"}",
                "0+10x60",
                bucket + "\"0.5\"}",
                "0+10x60",
                bucket + "\"1.0\"}",
                "0+10x60",
                bucket + "\"+Inf\"}",
                "0+10x60"),
            silentAt(rules, "AppLatencyP95High", "10m")));

    String restarts = "kube_pod_container_status_restarts_total";
    tests.add(
        group(
            "the app restarts every minute",
            Map.of(restarts + "{" + POD + "}", "0+0.25x120"),
            silentAt(rules, "AppPodsRestarting", "5m"),
            firingAt(rules, "AppPodsRestarting", "20m")));
    tests.add(
        group(
            "only the database restarts",
            Map.of(
                restarts + "{" + POD + "}",
                "0x120",
                restarts + "{namespace=\"" + NS + "\",container=\"postgres\",pod=\"shop-db-0\"}",
                "0+1x120"),
            silentAt(rules, "AppPodsRestarting", "25m")));
    tests.add(
        group(
            "a container in CrashLoopBackOff",
            Map.of(
                restarts + "{" + POD + "}",
                "0x120",
                "kube_pod_container_status_waiting_reason{" + POD + ",reason=\"CrashLoopBackOff\"}",
                "1x120"),
            firingAt(rules, "AppPodsRestarting", "12m")));

    String unavailable =
        "kube_deployment_status_replicas_unavailable{namespace=\"" + NS + "\",deployment=";
    tests.add(
        group(
            "one replica of the green colour unavailable",
            Map.of(unavailable + "\"shop-green\"}", "1x80"),
            silentAt(rules, "AppReplicasUnavailable", "5m"),
            firingAt(rules, "AppReplicasUnavailable", "12m")));
    tests.add(
        group(
            "all available; another app is not",
            Map.of(unavailable + "\"shop-green\"}", "0x80", unavailable + "\"other\"}", "5x80"),
            silentAt(rules, "AppReplicasUnavailable", "15m")));

    String ready =
        "kube_statefulset_status_replicas_ready{namespace=\"" + NS + "\",statefulset=\"shop-db\"}";
    tests.add(
        group(
            "database without a ready replica",
            Map.of(ready, "0x40"),
            silentAt(rules, "DatabaseDown", "1m"),
            firingAt(rules, "DatabaseDown", "3m")));
    tests.add(
        group("database ready", Map.of(ready, "1x40"), silentAt(rules, "DatabaseDown", "8m")));

    // promtool's clock starts at 0, so backups of the past
    // have negative timestamps. Daily schedule.
    String success = "kube_cronjob_status_last_successful_time{" + CRONJOB + "}";
    String scheduled = "kube_cronjob_status_last_schedule_time{" + CRONJOB + "}";
    String created = "kube_cronjob_created{" + CRONJOB + "}";
    tests.add(
        group(
            "last success 2.3 days ago",
            Map.of(success, "-200000x10", scheduled, "-200000x10", created, "-900000x10"),
            firingAt(rules, "BackupFailing", "5m")));
    tests.add(
        group(
            "last run failed, success the day before",
            Map.of(success, "-86500x10", scheduled, "-100x10", created, "-900000x10"),
            firingAt(rules, "BackupFailing", "5m")));
    tests.add(
        group(
            "never succeeded, an hour after the first run was due",
            Map.of(created, "-90000x10"),
            firingAt(rules, "BackupFailing", "5m")));
    tests.add(
        group(
            "first run due 10 minutes ago, not done yet",
            Map.of(created, "-87000x10"),
            silentAt(rules, "BackupFailing", "5m")));
    tests.add(
        group(
            "last run succeeded",
            Map.of(success, "-100x10", scheduled, "-100x10", created, "-900000x10"),
            silentAt(rules, "BackupFailing", "5m")));
    tests.add(
        group(
            "new CronJob, first run not due yet",
            Map.of(created, "-1000x10"),
            silentAt(rules, "BackupFailing", "5m")));

    Path testFile = dir.resolve("rules.test.yaml");
    Files.writeString(
        testFile,
        Serialization.asYaml(
            Map.of(
                "rule_files",
                List.of("rules.yaml"),
                "evaluation_interval",
                AlertRulesBuilder.EVALUATION_INTERVAL,
                "tests",
                tests)));

    String output = promtool("test", "rules", testFile.toString());

    assertThat(output).contains("SUCCESS");
  }

  @SafeVarargs
  private static Map<String, Object> group(
      String name, Map<String, String> series, Map<String, Object>... cases) {
    List<Map<String, String>> input =
        series.entrySet().stream()
            .map(e -> Map.of("series", e.getKey(), "values", e.getValue()))
            .toList();
    return Map.of(
        "name", name, "interval", "15s", "input_series", input, "alert_rule_test", List.of(cases));
  }

  private static Map<String, Object> firingAt(
      Map<String, Rule> rules, String alert, String evalTime) {
    Rule rule = rules.get(alert);
    assertThat(rule).as(alert).isNotNull();
    return Map.of(
        "eval_time",
        evalTime,
        "alertname",
        alert,
        "exp_alerts",
        List.of(Map.of("exp_labels", rule.getLabels(), "exp_annotations", rule.getAnnotations())));
  }

  private static Map<String, Object> silentAt(
      Map<String, Rule> rules, String alert, String evalTime) {
    assertThat(rules).as(alert).containsKey(alert);
    return Map.of("eval_time", evalTime, "alertname", alert, "exp_alerts", List.of());
  }

  private String promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Tools.require("promtool", "prometheus")));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  /** The environment's PrometheusRule, as the operator builds it, as a plain rule file. */
  private static String ruleFile(AppEnvironment env) {
    return Serialization.asYaml(
        Map.of("groups", AlertRulesBuilder.build(env).getSpec().getGroups()));
  }
}
