package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AlertsSpec;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentSpec;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.CustomAlert;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.api.PresetAlert;
import io.appenv.operator.api.Severity;
import io.appenv.operator.spec.Durations;
import io.appenv.operator.upstream.PrometheusRule;
import io.appenv.operator.upstream.PrometheusRuleSpec.Rule;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AlertRulesBuilderTest {

  private static AppEnvironment env(EnvironmentType type, Consumer<AppEnvironmentSpec> customizer) {
    return TestEnvironments.rolling(
        "shop-" + type.name().toLowerCase(),
        "shop",
        spec -> {
          spec.setEnvironment(type);
          customizer.accept(spec);
        });
  }

  private static Rule rule(AppEnvironment env, String alert) {
    return AlertRulesBuilder.build(env).getSpec().getGroups().get(0).getRules().stream()
        .filter(r -> alert.equals(r.getAlert()))
        .findFirst()
        .orElse(null);
  }

  private static List<String> alertNames(AppEnvironment env) {
    return AlertRulesBuilder.build(env).getSpec().getGroups().get(0).getRules().stream()
        .map(Rule::getAlert)
        .toList();
  }

  private static AlertsSpec alerts(AppEnvironmentSpec spec) {
    MonitoringSpec monitoring = new MonitoringSpec();
    spec.setMonitoring(monitoring);
    return monitoring.getAlerts();
  }

  @Test
  void everyRuleRoutesBackToItsEnvironment() {
    AppEnvironment env =
        env(
            EnvironmentType.PROD,
            spec -> {
              spec.setDatabase(new DatabaseSpec());
              spec.setBackup(new BackupSpec());
            });

    PrometheusRule prometheusRule = AlertRulesBuilder.build(env);

    assertThat(prometheusRule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(prometheusRule.getMetadata().getNamespace()).isEqualTo("shop-prod");
    assertThat(prometheusRule.getSpec().getGroups())
        .singleElement()
        .satisfies(group -> assertThat(group.getInterval()).isEqualTo("15s"));
    assertThat(alertNames(env))
        .containsExactly(
            "AppErrorRateHigh",
            "AppLatencyP95High",
            "AppPodsRestarting",
            "AppReplicasUnavailable",
            "DatabaseDown",
            "BackupFailing");
    assertThat(prometheusRule.getSpec().getGroups().get(0).getRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.getLabels())
                  .containsEntry("appenv_namespace", "shop-prod")
                  .containsEntry("appenv_name", "shop")
                  .containsKeys("severity", "appenv_rollback");
              assertThat(rule.getAnnotations())
                  .containsKeys("summary", "description", "runbook_url");
              assertThat(rule.getAnnotations().get("runbook_url"))
                  .startsWith(AlertRulesBuilder.RUNBOOKS);
            });
  }

  @Test
  void prodIsStricterThanDev() {
    Rule prod = rule(env(EnvironmentType.PROD, spec -> {}), "AppErrorRateHigh");
    Rule dev = rule(env(EnvironmentType.DEV, spec -> {}), "AppErrorRateHigh");

    assertThat(prod.getExpr()).endsWith("> 0.02");
    assertThat(dev.getExpr()).endsWith("> 0.10");
    assertThat(Durations.parse(prod.getForDuration()))
        .isLessThan(Durations.parse(dev.getForDuration()));
    assertThat(prod.getLabels()).containsEntry("severity", "critical");
    assertThat(dev.getLabels()).containsEntry("severity", "warning");
    for (AlertPreset preset : AlertPreset.values()) {
      var strict = preset.defaults(EnvironmentType.PROD);
      var relaxed = preset.defaults(EnvironmentType.DEV);
      assertThat(Double.parseDouble(strict.threshold()))
          .as(preset.name())
          .isLessThanOrEqualTo(Double.parseDouble(relaxed.threshold()));
      assertThat(Durations.parse(strict.forDuration()))
          .as(preset.name())
          .isLessThanOrEqualTo(Durations.parse(relaxed.forDuration()));
      assertThat(strict.severity()).as(preset.name()).isGreaterThanOrEqualTo(relaxed.severity());
    }
  }

  @Test
  void theSpecOverridesDefaultsAndCanTurnAPresetOff() {
    AppEnvironment env =
        env(
            EnvironmentType.PROD,
            spec -> {
              PresetAlert latency = new PresetAlert();
              latency.setThreshold("0.25");
              latency.setForDuration("30s");
              latency.setSeverity(Severity.WARNING);
              latency.setRollback(false);
              alerts(spec).setLatencyP95(latency);
              PresetAlert off = new PresetAlert();
              off.setEnabled(false);
              spec.getMonitoring().getAlerts().setPodRestarts(off);
            });

    Rule latency = rule(env, "AppLatencyP95High");

    assertThat(latency.getExpr()).startsWith("histogram_quantile(0.95,").endsWith("> 0.25");
    assertThat(latency.getForDuration()).isEqualTo("30s");
    assertThat(latency.getLabels())
        .containsEntry("severity", "warning")
        .containsEntry("appenv_rollback", "false");
    assertThat(alertNames(env)).doesNotContain("AppPodsRestarting");
  }

  @Test
  void databaseAndBackupAlertsOnlyWhereThereIsOne() {
    assertThat(alertNames(env(EnvironmentType.DEV, spec -> {})))
        .doesNotContain("DatabaseDown", "BackupFailing");
    assertThat(alertNames(env(EnvironmentType.DEV, spec -> spec.setDatabase(new DatabaseSpec()))))
        .contains("DatabaseDown")
        .doesNotContain("BackupFailing");
  }

  @Test
  void backupAlertWaitsTwoPeriodsOfTheSchedule() {
    AppEnvironment env =
        env(
            EnvironmentType.PROD,
            spec -> {
              spec.setDatabase(new DatabaseSpec());
              BackupSpec backup = new BackupSpec();
              backup.setSchedule("0 */6 * * *");
              spec.setBackup(backup);
            });

    assertThat(rule(env, "BackupFailing").getExpr())
        .contains("> " + Duration.ofHours(12).toSeconds())
        .contains("cronjob=\"shop-backup\"");
  }

  @Test
  void customAlertsKeepTheirQueryAndGetTheRoutingLabels() {
    CustomAlert custom = new CustomAlert();
    custom.setName("QueueBacklog");
    custom.setExpr("sum(queue_depth{namespace=\"shop-prod\"}) > 1000");
    custom.setForDuration("10m");
    custom.setSeverity(Severity.CRITICAL);
    custom.setRollback(true);
    AppEnvironment env = env(EnvironmentType.PROD, spec -> alerts(spec).getCustom().add(custom));

    Rule rule = rule(env, "QueueBacklog");

    assertThat(rule.getExpr()).isEqualTo(custom.getExpr());
    assertThat(rule.getForDuration()).isEqualTo("10m");
    assertThat(rule.getLabels())
        .containsEntry("severity", "critical")
        .containsEntry("appenv_rollback", "true")
        .containsEntry("appenv_name", "shop");
  }
}
