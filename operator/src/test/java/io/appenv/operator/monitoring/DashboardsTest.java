package io.appenv.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.operator.Tools;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards and the recording rules in deploy/monitoring/, checked by Prometheus's
 * promtool: every dashboard expression parses (as a recording rule) once Grafana's variables are
 * replaced.
 */
class DashboardsTest {
  @TempDir Path dir;

  @Test
  void everyDashboardExpressionPassesPromtoolCheck() throws Exception {
    Map<String, String> expressions = Dashboards.expressions();
    assertThat(Dashboards.files())
        .extracting(p -> p.getFileName().toString())
        .contains("delivery-kpis.json", "operator-health.json", "app-red.json");
    assertThat(expressions).hasSizeGreaterThan(20);

    String output = checkAsRules(expressions);

    assertThat(output).contains("SUCCESS: " + expressions.size() + " rules found");
  }

  @Test
  void promtoolCheckRejectsABrokenExpression() throws Exception {
    Path rules = ruleFile(Map.of("broken", "sum(rate(appenv_deployments_total[5m])"));

    Process process =
        new ProcessBuilder(
                Tools.require("promtool", "prometheus"), "check", "rules", rules.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isNotZero();
  }

  @Test
  void recordingRulesPassPromtoolCheck() throws Exception {
    Path rules = Dashboards.recordingRuleFile();

    String output = promtool(rules.toString(), "check", "rules", rules.toString());

    assertThat(output).contains("SUCCESS: 6 rules found");
  }

  @Test
  void everyRecordingRuleADashboardReadsIsDefinedInRecordingRules() throws Exception {
    Set<String> recorded = new HashSet<>();
    Matcher record =
        Pattern.compile("record:\\s*(\\S+)")
            .matcher(Files.readString(Dashboards.monitoringDir().resolve("recording-rules.yaml")));
    while (record.find()) {
      recorded.add(record.group(1));
    }

    Set<String> used =
        Dashboards.metricNames().stream().filter(n -> n.contains(":")).collect(Collectors.toSet());

    assertThat(used).isNotEmpty();
    assertThat(recorded).containsAll(used);
  }

  @Test
  void panelsReadTheDatasourceVariableAndEveryVariableUsedIsDefined() {
    Pattern variable = Pattern.compile("\\$\\{?(\\w+)");
    for (Path file : Dashboards.files()) {
      JsonNode dashboard = Dashboards.read(file);
      Set<String> defined = new HashSet<>(Set.of("__rate_interval", "__interval", "__range"));
      dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
      assertThat(defined).as(file.toString()).contains("datasource");
      Set<Integer> ids = new HashSet<>();

      for (JsonNode panel : dashboard.path("panels")) {
        assertThat(ids.add(panel.path("id").asInt()))
            .as(file + " panel id " + panel.path("id"))
            .isTrue();
        assertThat(panel.at("/datasource/uid").asText())
            .as(file + " " + panel.path("title"))
            .isEqualTo("${datasource}");
        panel
            .path("targets")
            .forEach(
                t ->
                    assertThat(t.at("/datasource/uid").asText())
                        .as(file + " " + panel.path("title"))
                        .isEqualTo("${datasource}"));
      }
      Dashboards.rawExpressions(dashboard)
          .forEach(
              (where, expr) -> {
                Matcher used = variable.matcher(expr);
                while (used.find()) {
                  assertThat(defined).as(file + " " + where).contains(used.group(1));
                }
              });
    }
  }

  @Test
  void metricNamesAreTheSelectedSeriesNotFunctionsKeywordsOrLabels() {
    String expr =
        "histogram_quantile(0.95, sum by (le, namespace) (rate(http_server_requests_seconds_bucket"
            + "{uri!~\"/actuator(.*)\", status=~\"5..\"}[5m] offset 1h))) / on (namespace) group_left(service)"
            + " max without (pod) (appenv:lead_time_seconds:p50_7d) > bool 1e3 or vector(0) unless up"
            + " and label_replace(kube_pod_info, \"x\", \"$1\", \"pod\", \"(.*)\")";

    assertThat(Dashboards.metricNames(expr))
        .containsExactlyInAnyOrder(
            "http_server_requests_seconds_bucket",
            "appenv:lead_time_seconds:p50_7d",
            "up",
            "kube_pod_info");
  }

  @Test
  void theDashboardsNameTheOperatorsAndTheAppsMetrics() {
    Set<String> names = Dashboards.metricNames();

    assertThat(names)
        .contains(
            "appenv:change_failure_rate:ratio7d",
            "appenv_deployments_total",
            "appenv_rollbacks_total",
            "operator_sdk_reconciliations_started_total",
            "operator_sdk_reconciliations_queue_size_appenvironment",
            "http_server_requests_seconds_bucket",
            "jvm_memory_used_bytes",
            "telemetry_readings_ingested_total");
    assertThat(names)
        .allMatch(n -> n.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"))
        .doesNotContain(
            "sum",
            "rate",
            "histogram_quantile",
            "by",
            "le",
            "namespace",
            "service",
            "label_values");
  }

  @Test
  void grafanaVariablesAreReplacedAndLabelValuesQueriesGiveTheirSelector() {
    assertThat(
            Dashboards.substitute(
                "rate(x{namespace=~\"$namespace\",name=\"${name}\"}[$__rate_interval])"))
        .isEqualTo("rate(x{namespace=~\"namespace\",name=\"name\"}[5m])");
    assertThat(Dashboards.labelValuesSelector("label_values(up{job=\"a,b\", x=\"y\"}, instance)"))
        .isEqualTo("up{job=\"a,b\", x=\"y\"}");
    assertThat(Dashboards.labelValuesSelector("label_values(instance)")).isNull();
    assertThat(Dashboards.labelValuesSelector("label_names()")).isNull();
  }

  /** Each expression as a recording rule, so promtool parses and type-checks it. */
  private String checkAsRules(Map<String, String> expressions) throws Exception {
    Map<String, String> byRecord = new LinkedHashMap<>();
    StringBuilder legend = new StringBuilder("rules are, in order:");
    expressions.forEach(
        (where, expr) -> {
          legend.append("\n  rule ").append(byRecord.size() + 1).append(": ").append(where);
          byRecord.put("dashboard:expr:" + byRecord.size(), expr);
        });
    return promtool(legend.toString(), "check", "rules", ruleFile(byRecord).toString());
  }

  private Path ruleFile(Map<String, String> exprByRecord) throws IOException {
    List<Map<String, String>> rules = new ArrayList<>();
    exprByRecord.forEach((record, expr) -> rules.add(Map.of("record", record, "expr", expr)));
    Path file = dir.resolve("dashboards.rules.yaml");
    Files.writeString(
        file,
        Serialization.asYaml(
            Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules)))));
    return file;
  }

  private String promtool(String description, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Tools.require("promtool", "prometheus")));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output + "\n" + description).isZero();
    return output;
  }
}
