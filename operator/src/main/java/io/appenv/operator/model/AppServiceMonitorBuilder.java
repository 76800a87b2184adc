package io.appenv.operator.model;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppSpec;
import io.appenv.operator.upstream.ServiceMonitor;
import io.appenv.operator.upstream.ServiceMonitorSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Optional;

/** The Prometheus Operator ServiceMonitor that scrapes the app's Service. */
public final class AppServiceMonitorBuilder {
  public static final String SCRAPE_INTERVAL = "15s";

  private AppServiceMonitorBuilder() {}

  public static ServiceMonitor build(AppEnvironment env) {
    String metricsPath = Optional.ofNullable(env.getSpec().getApp().getMetricsPath())
        .orElse(AppSpec.DEFAULT_METRICS_PATH);
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(Metadata.of(env, Names.app(env), Labels.COMPONENT_APP));
    monitor.setSpec(new ServiceMonitorSpec(
        new LabelSelectorBuilder().withMatchLabels(Labels.selector(env, Labels.COMPONENT_APP)).build(),
        new ServiceMonitorSpec.NamespaceSelector(List.of(env.getMetadata().getNamespace())),
        List.of(new ServiceMonitorSpec.Endpoint(AppPodTemplateBuilder.PORT_NAME, metricsPath, SCRAPE_INTERVAL))));
    return monitor;
  }
}
