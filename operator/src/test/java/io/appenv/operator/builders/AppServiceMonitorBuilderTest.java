package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.names.Labels;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.appenv.operator.upstream.ServiceMonitor;
import org.junit.jupiter.api.Test;

class AppServiceMonitorBuilderTest {

  @Test
  void scrapesTheAppServiceOnItsMetricsPath() {
    var env =
        TestEnvironments.rolling(
            "shop-dev", "shop", spec -> spec.getApp().setMetricsPath("/metrics"));

    ServiceMonitor monitor = AppServiceMonitorBuilder.build(env);

    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getName()).isEqualTo("shop");
    assertThat(monitor.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Labels.selector(env, Labels.COMPONENT_APP));
    assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames())
        .containsExactly("shop-dev");
    assertThat(monitor.getSpec().getEndpoints())
        .singleElement()
        .satisfies(
            endpoint -> {
              assertThat(endpoint.getPort()).isEqualTo("http");
              assertThat(endpoint.getPath()).isEqualTo("/metrics");
            });
  }

  @Test
  void selectorMatchesTheLabelsOfTheAppService() {
    var env = TestEnvironments.rolling("ns", "shop");

    assertThat(AppServiceBuilder.build(env).getMetadata().getLabels())
        .containsAllEntriesOf(Labels.selector(env, Labels.COMPONENT_APP));
  }

  @Test
  void enabledUnlessTurnedOff() {
    assertThat(EnvironmentDefaults.monitored(TestEnvironments.rolling("ns", "shop"))).isTrue();
    MonitoringSpec off = new MonitoringSpec();
    off.setEnabled(false);
    assertThat(
            EnvironmentDefaults.monitored(
                TestEnvironments.rolling("ns", "shop", spec -> spec.setMonitoring(off))))
        .isFalse();
  }
}
