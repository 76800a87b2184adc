package io.appenv.operator.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * A Prometheus' selectors. A null selector of objects selects none; a null namespace selector means
 * the Prometheus' own namespace only; an empty one selects everything (the Prometheus Operator's
 * API).
 */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PrometheusSpec {
  private LabelSelector serviceMonitorSelector;
  private LabelSelector serviceMonitorNamespaceSelector;
  private LabelSelector ruleSelector;
  private LabelSelector ruleNamespaceSelector;
}
