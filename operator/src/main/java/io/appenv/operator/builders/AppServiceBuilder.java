package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/** The Service in front of the app's Pods. */
public final class AppServiceBuilder {
  private AppServiceBuilder() {}

  public static Service build(AppEnvironment env) {
    return build(env, Names.service(env), Labels.selector(env, Labels.COMPONENT_APP));
  }

  /** The main Service of a blue/green environment: traffic goes to the active colour only. */
  public static Service active(AppEnvironment env, Color color) {
    return build(
        env,
        Names.service(env),
        Labels.withColor(Labels.selector(env, Labels.COMPONENT_APP), color));
  }

  /**
   * {@code <name>-preview}, on the candidate colour. Its component label differs from the app's, so
   * the ServiceMonitor does not scrape the same Pods twice through it.
   */
  public static Service preview(AppEnvironment env, Color color) {
    Service service =
        build(
            env,
            Names.previewService(env),
            Labels.withColor(Labels.selector(env, Labels.COMPONENT_APP), color));
    service.getMetadata().getLabels().put(Labels.COMPONENT, Labels.COMPONENT_PREVIEW);
    return service;
  }

  /** A Service named {@code name} that sends traffic to the Pods matching {@code selector}. */
  public static Service build(AppEnvironment env, String name, Map<String, String> selector) {
    int port = EnvironmentDefaults.port(env);
    return new ServiceBuilder()
        .withMetadata(Metadata.of(env, name, Labels.COMPONENT_APP))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector)
        .addNewPort()
        .withName(AppPodTemplateBuilder.PORT_NAME)
        .withProtocol("TCP")
        .withPort(port)
        .withNewTargetPort(AppPodTemplateBuilder.PORT_NAME)
        .endPort()
        .endSpec()
        .build();
  }
}
