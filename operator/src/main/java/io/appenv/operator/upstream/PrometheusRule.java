package io.appenv.operator.upstream;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** The Prometheus Operator's PrometheusRule, typed like {@link ServiceMonitor}. */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("PrometheusRule")
@Plural("prometheusrules")
public class PrometheusRule extends CustomResource<PrometheusRuleSpec, Void> implements Namespaced {
  public static final String CRD_NAME = "prometheusrules.monitoring.coreos.com";
}
