package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.names.Labels;
import org.junit.jupiter.api.Test;

class AppPodDisruptionBudgetBuilderTest {

  @Test
  void neededOnlyWithMoreThanOneReplica() {
    assertThat(AppPodDisruptionBudgetBuilder.isNeeded(TestEnvironments.rolling("ns", "a")))
        .isFalse();
    assertThat(
            AppPodDisruptionBudgetBuilder.isNeeded(
                TestEnvironments.rolling("ns", "a", spec -> spec.getApp().setReplicas(2))))
        .isTrue();
    assertThat(
            AppPodDisruptionBudgetBuilder.isNeeded(
                TestEnvironments.rolling(
                    "ns", "a", spec -> spec.setEnvironment(EnvironmentType.PROD))))
        .isTrue();
  }

  @Test
  void allowsOnePodDownAtATimeAcrossTheAppPods() {
    var env = TestEnvironments.rolling("ns", "shop", spec -> spec.getApp().setReplicas(3));

    var pdb = AppPodDisruptionBudgetBuilder.build(env);

    assertThat(pdb.getMetadata().getName()).isEqualTo("shop");
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Labels.selector(env, Labels.COMPONENT_APP));
  }
}
