package io.appenv.operator.upstream;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The part of the Prometheus Operator's ServiceMonitor that appenv writes. Typed, so JOSDK can tell
 * from the annotations whether its CRD is installed without asking the API server's discovery.
 */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("ServiceMonitor")
@Plural("servicemonitors")
public class ServiceMonitor extends CustomResource<ServiceMonitorSpec, Void> implements Namespaced {
  public static final String CRD_NAME = "servicemonitors.monitoring.coreos.com";
}
