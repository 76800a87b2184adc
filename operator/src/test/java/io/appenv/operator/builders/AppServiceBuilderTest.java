package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

class AppServiceBuilderTest {

  @Test
  void selectsTheAppPodsAndExposesTheAppPortByName() {
    var env = TestEnvironments.rolling("ns", "shop", spec -> spec.getApp().setPort(9000));

    Service service = AppServiceBuilder.build(env);

    assertThat(service.getMetadata().getName()).isEqualTo("shop");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(Labels.selector(env, Labels.COMPONENT_APP));
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getPort()).isEqualTo(9000);
              assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
            });
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
  }
}
