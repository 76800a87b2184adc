package io.appenv.operator.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.builders.AlertRulesBuilder;
import io.appenv.operator.builders.AppServiceMonitorBuilder;
import io.appenv.operator.validation.SpecValidator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitoringLabelsTest {

  @Test
  void theOperatorSettingAndTheSpecLabelTheServiceMonitorAndTheRulesTheSpecWinning() {
    var env =
        TestEnvironments.rolling(
            "shop-prod",
            "shop",
            spec ->
                spec.setMonitoring(monitoring(Map.of("team", "payments", "release", "kps-prod"))));
    MonitoringLabels setting = MonitoringLabels.parse("release=kube-prometheus-stack, tier=1");

    var monitor = AppServiceMonitorBuilder.build(env, setting);
    var rules = AlertRulesBuilder.build(env, setting);

    assertThat(monitor.getMetadata().getLabels())
        .containsEntry("release", "kps-prod")
        .containsEntry("tier", "1")
        .containsEntry("team", "payments")
        .containsAllEntriesOf(Labels.common(env, Labels.COMPONENT_APP));
    assertThat(rules.getMetadata().getLabels()).isEqualTo(monitor.getMetadata().getLabels());
  }

  private static MonitoringSpec monitoring(Map<String, String> labels) {
    MonitoringSpec monitoring = new MonitoringSpec();
    monitoring.setLabels(labels);
    return monitoring;
  }

  @Test
  void appenvsOwnLabelsAreNeverReplaced() {
    var env = TestEnvironments.rolling("shop-dev", "shop", spec -> {});

    var labels =
        new MonitoringLabels(Map.of(Labels.MANAGED_BY, "someone-else"))
            .of(env, Labels.COMPONENT_APP);

    assertThat(labels).containsEntry(Labels.MANAGED_BY, Labels.MANAGER);
  }

  @Test
  void aSettingThatIsNotKeyValueOrNotALabelIsRefusedWithThePairNamed() {
    assertThatThrownBy(() -> MonitoringLabels.parse("release"))
        .hasMessageContaining("'release' is not key=value");
    assertThatThrownBy(() -> MonitoringLabels.parse("release=kps,bad key=x"))
        .hasMessageContaining("label key 'bad key'");
    assertThatThrownBy(() -> MonitoringLabels.parse("release=-kps"))
        .hasMessageContaining("label value '-kps'");
    assertThatThrownBy(() -> MonitoringLabels.parse("platform.appenv.io/color=x"))
        .hasMessageContaining("appenv's own");
    assertThat(MonitoringLabels.parse("")).isEqualTo(MonitoringLabels.NONE);
  }

  @Test
  void badSpecLabelsMakeTheSpecInvalid() {
    var env =
        TestEnvironments.rolling(
            "shop-dev",
            "shop",
            spec ->
                spec.setMonitoring(
                    monitoring(Map.of("app.kubernetes.io/name", "x", "ok", "fine"))));

    assertThat(SpecValidator.validate(env))
        .singleElement()
        .asString()
        .startsWith("spec.monitoring.labels: label key 'app.kubernetes.io/name' is appenv's own");
  }
}
