package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppSpec;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.MonitoringLabels;
import io.appenv.operator.names.Names;
import io.appenv.operator.upstream.ServiceMonitor;
import io.appenv.operator.upstream.ServiceMonitorSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Optional;

/**
 * The Prometheus Operator ServiceMonitor that scrapes the app's Service. Its series carry the pod's
 * colour ({@link #COLOR_LABEL}), so the release report can tell one release's traffic from
 * another's.
 */
public final class AppServiceMonitorBuilder {
  public static final String SCRAPE_INTERVAL = "15s";

  /**
   * The colour label as Prometheus names it on the app's series (podTargetLabels sanitises the pod
   * label).
   */
  public static final String COLOR_LABEL = "platform_appenv_io_color";

  private AppServiceMonitorBuilder() {}

  public static ServiceMonitor build(AppEnvironment env) {
    return build(env, MonitoringLabels.NONE);
  }

  /**
   * @param labels what a Prometheus' serviceMonitorSelector may require besides appenv's own labels
   */
  public static ServiceMonitor build(AppEnvironment env, MonitoringLabels labels) {
    String metricsPath =
        Optional.ofNullable(env.getSpec().getApp().getMetricsPath())
            .orElse(AppSpec.DEFAULT_METRICS_PATH);
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(Metadata.of(env, Names.app(env), Labels.COMPONENT_APP));
    monitor.getMetadata().setLabels(labels.of(env, Labels.COMPONENT_APP));
    monitor.setSpec(
        new ServiceMonitorSpec(
            new LabelSelectorBuilder()
                .withMatchLabels(Labels.selector(env, Labels.COMPONENT_APP))
                .build(),
            new ServiceMonitorSpec.NamespaceSelector(List.of(env.getMetadata().getNamespace())),
            List.of(
                new ServiceMonitorSpec.Endpoint(
                    AppPodTemplateBuilder.PORT_NAME, metricsPath, SCRAPE_INTERVAL)),
            // Each series says which colour served it, so a release's
            // error rate and latency can be told apart.
            List.of(Labels.COLOR)));
    return monitor;
  }
}
