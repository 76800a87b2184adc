package io.appenv.operator.monitoring;

import io.appenv.operator.events.Reason;
import io.appenv.operator.upstream.Prometheus;
import io.appenv.operator.upstream.PrometheusSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether any Prometheus of the cluster selects an environment's PrometheusRule and ServiceMonitor,
 * decided the way the Prometheus Operator does from their selectors: a pure function of the
 * Prometheuses, the objects' labels and the labels of their namespace.
 */
public final class PrometheusSelection {
  private PrometheusSelection() {}

  /** SELECTED, NOT_SELECTED, or UNKNOWN when the operator cannot see the cluster's Prometheuses. */
  public enum State {
    SELECTED,
    NOT_SELECTED,
    UNKNOWN
  }

  public record Result(State state, Reason reason, String message) {
    public static Result unknown(Reason reason, String message) {
      return new Result(State.UNKNOWN, reason, message);
    }
  }

  /**
   * @param namespace the environment's namespace, where both objects live
   * @param namespaceLabels that namespace's labels
   * @param ruleLabels the PrometheusRule's labels
   * @param monitorLabels the ServiceMonitor's labels
   */
  public static Result decide(
      List<Prometheus> prometheuses,
      String namespace,
      Map<String, String> namespaceLabels,
      Map<String, String> ruleLabels,
      Map<String, String> monitorLabels) {
    if (prometheuses.isEmpty()) {
      return Result.unknown(
          Reason.NO_PROMETHEUS_FOUND,
          "No Prometheus object in the cluster (or none the operator may"
              + " list): whether a Prometheus run otherwise loads the rules cannot be known");
    }
    StringBuilder why = new StringBuilder();
    for (Prometheus prometheus : prometheuses) {
      PrometheusSpec spec =
          Optional.ofNullable(prometheus.getSpec()).orElseGet(PrometheusSpec::new);
      String own = prometheus.getMetadata().getNamespace();
      boolean rules =
          selects(spec.getRuleSelector(), ruleLabels)
              && selectsNamespace(spec.getRuleNamespaceSelector(), own, namespace, namespaceLabels);
      boolean monitor =
          selects(spec.getServiceMonitorSelector(), monitorLabels)
              && selectsNamespace(
                  spec.getServiceMonitorNamespaceSelector(), own, namespace, namespaceLabels);
      String name = own + "/" + prometheus.getMetadata().getName();
      if (rules && monitor) {
        return new Result(
            State.SELECTED,
            Reason.SELECTED_BY_PROMETHEUS,
            "Prometheus " + name + " loads the alert rules and scrapes the app");
      }
      why.append(why.isEmpty() ? "" : "; ")
          .append(name)
          .append(": ")
          .append(
              rules
                  ? ""
                  : "rules not selected ("
                      + describe(spec.getRuleSelector(), spec.getRuleNamespaceSelector())
                      + ")")
          .append(!rules && !monitor ? ", " : "")
          .append(
              monitor
                  ? ""
                  : "ServiceMonitor not selected ("
                      + describe(
                          spec.getServiceMonitorSelector(),
                          spec.getServiceMonitorNamespaceSelector())
                      + ")");
    }
    return new Result(
        State.NOT_SELECTED,
        Reason.NOT_SELECTED_BY_ANY_PROMETHEUS,
        "No Prometheus loads this environment's"
            + " alert rules and scrapes its app, so no alert can fire and no rollback happen. "
            + why
            + ". Add the labels it needs in spec.monitoring.labels or the operator setting APPENV_MONITORING_LABELS");
  }

  private static boolean selectsNamespace(
      LabelSelector selector,
      String prometheusNamespace,
      String namespace,
      Map<String, String> namespaceLabels) {
    return selector == null
        ? prometheusNamespace.equals(namespace)
        : matches(selector, namespaceLabels);
  }

  private static boolean selects(LabelSelector selector, Map<String, String> labels) {
    return selector != null && matches(selector, labels);
  }

  /**
   * Kubernetes label selector semantics: every matchLabels entry and every expression must hold.
   */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> have = labels == null ? Map.of() : labels;
    for (var wanted : Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()).entrySet()) {
      if (!wanted.getValue().equals(have.get(wanted.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement r :
        Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of())) {
      List<String> values = Optional.ofNullable(r.getValues()).orElse(List.of());
      boolean holds =
          switch (r.getOperator()) {
            case "In" -> have.containsKey(r.getKey()) && values.contains(have.get(r.getKey()));
            case "NotIn" -> !have.containsKey(r.getKey()) || !values.contains(have.get(r.getKey()));
            case "Exists" -> have.containsKey(r.getKey());
            case "DoesNotExist" -> !have.containsKey(r.getKey());
            default -> false;
          };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  private static String describe(LabelSelector objects, LabelSelector namespaces) {
    Function<LabelSelector, String> text =
        s -> {
          if (s == null) {
            return null;
          }
          String labels =
              Optional.ofNullable(s.getMatchLabels()).orElse(Map.of()).entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .sorted()
                  .reduce((a, b) -> a + "," + b)
                  .orElse("");
          String expressions =
              Optional.ofNullable(s.getMatchExpressions()).orElse(List.of()).stream()
                  .map(
                      r ->
                          r.getKey()
                              + " "
                              + r.getOperator()
                              + (r.getValues() == null ? "" : " " + r.getValues()))
                  .reduce((a, b) -> a + "," + b)
                  .orElse("");
          String all =
              labels + (labels.isEmpty() || expressions.isEmpty() ? "" : ",") + expressions;
          return all.isEmpty() ? "everything" : all;
        };
    return "selector "
        + Optional.ofNullable(text.apply(objects)).orElse("null, selects none")
        + "; namespaces "
        + Optional.ofNullable(text.apply(namespaces)).orElse("its own only");
  }
}
