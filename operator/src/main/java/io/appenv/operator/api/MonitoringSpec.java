package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.Map;
import lombok.Data;

@Data
public class MonitoringSpec {
  @Default("true")
  @JsonPropertyDescription(
      "Create the PrometheusRule and ServiceMonitor (needs the Prometheus Operator CRDs).")
  private Boolean enabled = true;

  @JsonPropertyDescription("Alert presets with thresholds, and custom PromQL alerts.")
  private AlertsSpec alerts = new AlertsSpec();

  @JsonPropertyDescription(
      "Labels added to the ServiceMonitor and the PrometheusRule, for a Prometheus whose"
          + " serviceMonitorSelector and ruleSelector require them (kube-prometheus-stack: release: <its release"
          + " name>). They add to the operator setting APPENV_MONITORING_LABELS and win over it; appenv's own"
          + " app.kubernetes.io/* and platform.appenv.io/* labels cannot be replaced.")
  private Map<String, String> labels;
}
