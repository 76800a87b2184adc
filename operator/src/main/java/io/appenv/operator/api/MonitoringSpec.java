package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import lombok.Data;

@Data
public class MonitoringSpec {
  @Default("true")
  @JsonPropertyDescription("Create the PrometheusRule and ServiceMonitor (needs the Prometheus Operator CRDs).")
  private Boolean enabled = true;

  @JsonPropertyDescription("Alert presets with thresholds, and custom PromQL alerts.")
  private AlertsSpec alerts = new AlertsSpec();
}
