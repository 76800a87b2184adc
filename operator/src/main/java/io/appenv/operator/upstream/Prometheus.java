package io.appenv.operator.upstream;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The part of the Prometheus Operator's Prometheus that appenv reads: which rules and monitors it
 * selects.
 */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("Prometheus")
@Plural("prometheuses")
public class Prometheus extends CustomResource<PrometheusSpec, Void> implements Namespaced {
  public static final String CRD_NAME = "prometheuses.monitoring.coreos.com";
}
