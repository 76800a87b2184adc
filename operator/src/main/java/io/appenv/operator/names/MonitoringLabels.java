package io.appenv.operator.names;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.MonitoringSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Labels the ServiceMonitor and PrometheusRule carry so that a Prometheus selects them: the
 * operator setting (APPENV_MONITORING_LABELS, for every environment of a cluster whose Prometheus
 * selects by label), then the environment's spec.monitoring.labels, then appenv's own labels, which
 * nothing replaces (the operator's informers select its objects by them).
 */
public record MonitoringLabels(Map<String, String> labels) {
  public static final MonitoringLabels NONE = new MonitoringLabels(Map.of());
  private static final Pattern NAME =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
  private static final Pattern PREFIX =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern VALUE = Pattern.compile("(" + NAME.pattern() + ")?");
  private static final List<String> RESERVED = List.of("app.kubernetes.io/", "platform.appenv.io/");

  public MonitoringLabels {
    labels = Map.copyOf(labels);
  }

  /**
   * The operator setting: {@code key=value} pairs separated by commas, e.g. {@code
   * release=kube-prometheus-stack}.
   *
   * @throws IllegalArgumentException naming the pair that is not a valid Kubernetes label
   */
  public static MonitoringLabels parse(String setting) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (setting == null || setting.isBlank()) {
      return NONE;
    }
    for (String pair : setting.split(",")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "APPENV_MONITORING_LABELS: '"
                + pair.trim()
                + "' is not key=value (e.g. release=kube-prometheus-stack,team=payments)");
      }
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      String problem = problem(key, value);
      if (problem != null) {
        throw new IllegalArgumentException("APPENV_MONITORING_LABELS: " + problem);
      }
      labels.put(key, value);
    }
    return new MonitoringLabels(labels);
  }

  /** What is wrong with one label, or null: the API server's rules for label keys and values. */
  public static String problem(String key, String value) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    String prefix = slash < 0 ? null : key.substring(0, slash);
    if (!NAME.matcher(name).matches()
        || prefix != null && (prefix.length() > 253 || !PREFIX.matcher(prefix).matches())) {
      return "label key '"
          + key
          + "' is not a Kubernetes label key ([prefix/]name, name of at most 63"
          + " alphanumerics, '-', '_' or '.')";
    }
    if (value == null || !VALUE.matcher(value).matches()) {
      return "label value '"
          + value
          + "' of "
          + key
          + " is not a Kubernetes label value (at most 63"
          + " alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)";
    }
    if (RESERVED.stream().anyMatch(key::startsWith)) {
      return "label key '"
          + key
          + "' is appenv's own ("
          + String.join(", ", RESERVED)
          + "): choose another";
    }
    return null;
  }

  /** The labels of one environment's ServiceMonitor or PrometheusRule. */
  public Map<String, String> of(AppEnvironment env, String component) {
    Map<String, String> merged = new LinkedHashMap<>(labels);
    merged.putAll(
        Optional.ofNullable(env.getSpec().getMonitoring())
            .map(MonitoringSpec::getLabels)
            .orElse(Map.of()));
    merged.putAll(Labels.common(env, component));
    return merged;
  }
}
