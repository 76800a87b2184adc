package io.appenv.operator.builders;

import io.appenv.operator.api.AlertsSpec;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.CustomAlert;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.names.AlertLabels;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.MonitoringLabels;
import io.appenv.operator.names.Names;
import io.appenv.operator.spec.CronSchedule;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.appenv.operator.upstream.PrometheusRule;
import io.appenv.operator.upstream.PrometheusRuleSpec;
import io.appenv.operator.upstream.PrometheusRuleSpec.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The environment's alert rules: the presets with the spec's thresholds, then the custom alerts.
 * Every alert carries the labels that route it back to this environment (appenv_namespace,
 * appenv_name) and say whether it may roll a release back (appenv_rollback), which the Alertmanager
 * webhook reads.
 *
 * <p>The app's series are selected as the Prometheus Operator labels them through the
 * ServiceMonitor (namespace, service); the Kubernetes objects' series are kube-state-metrics'.
 */
public final class AlertRulesBuilder {
  /**
   * Rules are evaluated this often (stock Prometheus: 1m), so an alert can fire within seconds of
   * its 'for'.
   */
  public static final String EVALUATION_INTERVAL = "15s";

  public static final String RUNBOOKS =
      "https://github.com/appenv/appenv/blob/main/docs/runbooks/alerts.md#";
  private static final String HTTP = "http_server_requests_seconds";
  private static final String NOT_ACTUATOR = "uri!~\"/actuator.*\"";

  private AlertRulesBuilder() {}

  public static PrometheusRule build(AppEnvironment env) {
    return build(env, MonitoringLabels.NONE);
  }

  /**
   * @param labels what a Prometheus' ruleSelector may require besides appenv's own labels
   */
  public static PrometheusRule build(AppEnvironment env, MonitoringLabels labels) {
    PrometheusRule rule = new PrometheusRule();
    rule.setMetadata(Metadata.of(env, Names.app(env), Labels.COMPONENT_APP));
    rule.getMetadata().setLabels(labels.of(env, Labels.COMPONENT_APP));
    rule.setSpec(new PrometheusRuleSpec(List.of(group(env))));
    return rule;
  }

  static PrometheusRuleSpec.Group group(AppEnvironment env) {
    return new PrometheusRuleSpec.Group(
        "appenv." + env.getMetadata().getNamespace() + "." + Names.app(env),
        EVALUATION_INTERVAL,
        rules(env));
  }

  static List<Rule> rules(AppEnvironment env) {
    EnvironmentType type = EnvironmentDefaults.environment(env);
    AlertsSpec alerts =
        Optional.ofNullable(env.getSpec().getMonitoring())
            .map(MonitoringSpec::getAlerts)
            .orElse(null);
    List<Rule> rules = new ArrayList<>();
    for (AlertPreset preset : AlertPreset.values()) {
      AlertPreset.Settings settings = preset.resolve(type, alerts);
      if (settings != null && applies(preset, env)) {
        rules.add(presetRule(env, preset, settings));
      }
    }
    for (CustomAlert custom : alerts == null ? List.<CustomAlert>of() : alerts.getCustom()) {
      rules.add(customRule(env, custom));
    }
    return rules;
  }

  private static boolean applies(AlertPreset preset, AppEnvironment env) {
    return switch (preset) {
      case DATABASE_DOWN -> Postgres.isEnabled(env);
      case BACKUP_FAILING -> PostgresBackupBuilder.isEnabled(env);
      default -> true;
    };
  }

  private static Rule presetRule(
      AppEnvironment env, AlertPreset preset, AlertPreset.Settings settings) {
    String ns = env.getMetadata().getNamespace();
    String name = Names.app(env);
    String app = "namespace=\"" + ns + "\",service=\"" + name + "\"";
    String pods =
        "namespace=\""
            + ns
            + "\",container=\""
            + AppPodTemplateBuilder.CONTAINER
            + "\",pod=~\""
            + name
            + "-.+\"";
    String threshold = settings.threshold();
    String expr;
    String summary;
    String description;
    switch (preset) {
      case ERROR_RATE -> {
        expr =
            "sum(rate("
                + HTTP
                + "_count{"
                + app
                + ","
                + NOT_ACTUATOR
                + ",status=~\"5..\"}[1m]))\n  / sum(rate("
                + HTTP
                + "_count{"
                + app
                + ","
                + NOT_ACTUATOR
                + "}[1m])) > "
                + threshold;
        summary = "More than " + percent(threshold) + " of " + name + "'s requests fail in " + ns;
        description =
            "Over the last minute, more than "
                + percent(threshold)
                + " of HTTP requests (health checks aside) were answered 5xx.";
      }
      case LATENCY_P95 -> {
        expr =
            "histogram_quantile(0.95, sum by (le) (rate("
                + HTTP
                + "_bucket{"
                + app
                + ","
                + NOT_ACTUATOR
                + "}[1m]))) > "
                + threshold;
        summary = "95th percentile latency of " + name + " in " + ns + " above " + threshold + "s";
        description =
            "Over the last minute, 5 % of HTTP requests (health checks aside) took longer than "
                + threshold
                + "s.";
      }
      case POD_RESTARTS -> {
        // Restarts counted over the 'for' window, or a container
        // waiting in CrashLoopBackOff right now.
        expr =
            "sum(increase(kube_pod_container_status_restarts_total{"
                + pods
                + "}["
                + settings.forDuration()
                + "])) > "
                + threshold
                + "\nor max(kube_pod_container_status_waiting_reason{"
                + pods
                + ",reason=\"CrashLoopBackOff\"}) > 0";
        summary = name + "'s containers restart in " + ns;
        description =
            "More than "
                + threshold
                + " restarts within "
                + settings.forDuration()
                + ", or a container in CrashLoopBackOff.";
      }
      case REPLICAS_UNAVAILABLE -> {
        expr =
            "sum(kube_deployment_status_replicas_unavailable{namespace=\""
                + ns
                + "\",deployment=~\""
                + name
                + "|"
                + name
                + "-blue|"
                + name
                + "-green\"}) > "
                + threshold;
        summary = "Replicas of " + name + " are unavailable in " + ns;
        description =
            "More than "
                + threshold
                + " replicas of the app have been unavailable for "
                + settings.forDuration()
                + ".";
      }
      case DATABASE_DOWN -> {
        expr =
            "sum(kube_statefulset_status_replicas_ready{namespace=\""
                + ns
                + "\",statefulset=\""
                + Names.database(env)
                + "\"}) < 1";
        summary = "The database of " + name + " in " + ns + " has no ready replica";
        description =
            "StatefulSet "
                + Names.database(env)
                + " has no ready Pod: the app cannot reach PostgreSQL.";
      }
      case BACKUP_FAILING -> {
        String cronJob = "namespace=\"" + ns + "\",cronjob=\"" + Names.backupCronJob(env) + "\"";
        long period =
            CronSchedule.longestPeriod(env.getSpec().getBackup().getSchedule()).toSeconds();
        // Stale: no success for two periods. Failing: the last scheduled run has not succeeded
        // within an hour. Never: no success at all an hour after the first run was due (a period
        // after creation), the same hour a later run gets: a first run still going is no alert.
        expr =
            "time() - max(kube_cronjob_status_last_successful_time{"
                + cronJob
                + "}) > "
                + 2 * period
                + "\nor max(kube_cronjob_status_last_schedule_time{"
                + cronJob
                + "})"
                + " - max(kube_cronjob_status_last_successful_time{"
                + cronJob
                + "}) > 3600"
                + "\nor (time() - max(kube_cronjob_created{"
                + cronJob
                + "}) > "
                + (period + 3600)
                + " unless max(kube_cronjob_status_last_successful_time{"
                + cronJob
                + "}))";
        summary = "Logical backups of " + name + " in " + ns + " are stale or failing";
        description =
            "No successful run of CronJob "
                + Names.backupCronJob(env)
                + " within two periods of its"
                + " schedule, or its last run failed. Check its Jobs' logs.";
      }
      default -> throw new IllegalStateException(preset.name());
    }
    return new Rule(
        preset.alertName(),
        null,
        expr,
        settings.forDuration(),
        labels(env, settings.severity().label(), settings.rollback()),
        annotations(summary, description, preset.alertName()));
  }

  private static Rule customRule(AppEnvironment env, CustomAlert custom) {
    String summary =
        Optional.ofNullable(custom.getSummary())
            .orElse(
                custom.getName()
                    + " fired for "
                    + Names.app(env)
                    + " in "
                    + env.getMetadata().getNamespace());
    return new Rule(
        custom.getName(),
        null,
        custom.getExpr(),
        custom.getForDuration(),
        labels(env, custom.getSeverity().label(), Boolean.TRUE.equals(custom.getRollback())),
        annotations(
            summary,
            "Custom alert of AppEnvironment "
                + env.getMetadata().getNamespace()
                + "/"
                + Names.app(env)
                + ": "
                + custom.getExpr(),
            "custom-alerts"));
  }

  private static Map<String, String> labels(AppEnvironment env, String severity, boolean rollback) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("severity", severity);
    labels.put(AlertLabels.NAMESPACE, env.getMetadata().getNamespace());
    labels.put(AlertLabels.NAME, Names.app(env));
    labels.put(AlertLabels.ROLLBACK, String.valueOf(rollback));
    labels.put(
        AlertLabels.ENVIRONMENT,
        EnvironmentDefaults.environment(env).name().toLowerCase(Locale.ROOT));
    // Where enforcedNamespaceLabel is not set, the rule itself
    // says where it comes from (the same value).
    labels.put(AlertLabels.ORIGIN_NAMESPACE, env.getMetadata().getNamespace());
    return labels;
  }

  private static Map<String, String> annotations(
      String summary, String description, String runbookAnchor) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", summary);
    annotations.put("description", description);
    annotations.put("runbook_url", RUNBOOKS + runbookAnchor.toLowerCase(Locale.ROOT));
    return annotations;
  }

  private static String percent(String ratio) {
    return new java.math.BigDecimal(ratio).movePointRight(2).stripTrailingZeros().toPlainString()
        + "%";
  }
}
