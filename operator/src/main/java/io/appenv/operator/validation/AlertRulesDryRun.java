package io.appenv.operator.validation;

import io.appenv.operator.api.AlertsSpec;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.builders.AlertRulesBuilder;
import io.appenv.operator.names.ShortHash;
import io.appenv.operator.observe.CrdCatalog;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.appenv.operator.upstream.PrometheusRule;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster accepts the custom alerts' PromQL, asked before anything is applied: a
 * server-side dry run of the environment's PrometheusRule. Where the Prometheus Operator's
 * admission webhook is installed, the API server has it parse every rule with Prometheus' own
 * parser (rulefmt), and a refusal becomes a problem of the spec that names the alert. No Java
 * PromQL parser is maintained, and this is the parser Prometheus will load the rules with. Without
 * the webhook the dry run passes and only SpecValidator's quick check applies. Asked again only
 * when the rules change.
 */
public class AlertRulesDryRun {
  /**
   * A dry run stores nothing, so its field manager is only a name in the API server's audit log.
   */
  private static final String FIELD_MANAGER = "appenv-dry-run";

  private static final Logger log = LoggerFactory.getLogger(AlertRulesDryRun.class);

  /** rulefmt's error: {@code [line:col: ]group "g", rule 3, "Name": what is wrong}. */
  private static final Pattern RULE_ERROR =
      Pattern.compile("group \"[^\"]*\", rule \\d+, \"([^\"]*)\": (.*)", Pattern.DOTALL);

  private final KubernetesClient client;
  private final CrdCatalog crds;

  /** Per environment: the hash of the rules last asked about, and the answer. */
  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

  private record Verdict(String rulesHash, List<String> problems) {}

  public AlertRulesDryRun(KubernetesClient client, CrdCatalog crds) {
    this.client = client;
    this.crds = crds;
  }

  public List<String> problems(AppEnvironment env) {
    if (!EnvironmentDefaults.monitored(env)
        || !hasCustomAlerts(env)
        || !crds.isInstalled(PrometheusRule.CRD_NAME)) {
      return List.of();
    }
    PrometheusRule rule = AlertRulesBuilder.build(env);
    String key = env.getMetadata().getNamespace() + "/" + env.getMetadata().getName();
    String hash = ShortHash.of(Serialization.asJson(rule.getSpec()));
    Verdict known = verdicts.get(key);
    if (known != null && known.rulesHash().equals(hash)) {
      return known.problems();
    }
    List<String> problems;
    try {
      client.resource(rule).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      problems = List.of();
    } catch (KubernetesClientException e) {
      if (!deniedByAdmission(e)) {
        // Cannot tell (no connection, no permission, a webhook
        // without dry-run support): the apply will say.
        log.debug(
            "Dry run of the alert rules of {} answered {}: {}", key, e.getCode(), e.getMessage());
        return List.of();
      }
      problems = problems(e);
    }
    verdicts.put(key, new Verdict(hash, problems));
    return problems;
  }

  /** Forgets a deleted environment. */
  public void forget(AppEnvironment env) {
    verdicts.remove(env.getMetadata().getNamespace() + "/" + env.getMetadata().getName());
  }

  private static boolean hasCustomAlerts(AppEnvironment env) {
    return Optional.ofNullable(env.getSpec().getMonitoring())
        .map(MonitoringSpec::getAlerts)
        .map(AlertsSpec::getCustom)
        .map(custom -> !custom.isEmpty())
        .orElse(false);
  }

  private static boolean deniedByAdmission(KubernetesClientException e) {
    return e.getCode() >= 400
        && e.getCode() < 500
        && e.getStatus() != null
        && e.getStatus().getMessage() != null
        && e.getStatus().getMessage().contains("denied the request");
  }

  private static List<String> problems(KubernetesClientException e) {
    List<String> causes =
        Optional.ofNullable(e.getStatus().getDetails())
            .map(d -> d.getCauses())
            .orElse(List.of())
            .stream()
            .map(StatusCause::getMessage)
            .filter(m -> m != null && !m.isBlank())
            .toList();
    if (causes.isEmpty()) {
      causes = List.of(e.getStatus().getMessage());
    }
    List<String> problems = new ArrayList<>();
    for (String cause : causes) {
      Matcher rule = RULE_ERROR.matcher(cause);
      if (rule.find()) {
        problems.add(
            "spec.monitoring.alerts.custom "
                + rule.group(1)
                + ": the Prometheus Operator's admission webhook"
                + " refuses it: "
                + rule.group(2).strip()
                + "; fix its expr (or summary)");
      } else {
        problems.add(
            "spec.monitoring.alerts.custom: the Prometheus Operator's admission webhook refuses the alert"
                + " rules: "
                + cause.strip()
                + "; fix the custom alerts");
      }
    }
    return problems;
  }
}
