package io.appenv.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorTestSupport;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.Condition;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster without the Prometheus Operator or Velero: the environment still runs, and its status
 * says what is missing.
 */
class OptionalCrdTest {
  private static final String NS = "no-prometheus-operator";

  @Test
  void keepsWorkingWithoutThePrometheusOperatorOrVeleroAndSaysSo() {
    KubernetesClient client = RealApiServer.client();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("servicemonitors.monitoring.coreos.com")
                .get())
        .as("precondition: CRD absent")
        .isNull();
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    Operator operator =
        OperatorFactory.create(
            client,
            new SimpleMeterRegistry(),
            OperatorTestSupport.properties(List.of(NS), true),
            Clock.systemUTC());
    operator.start();
    try {
      client
          .resource(
              TestEnvironments.rolling(
                  NS,
                  "shop",
                  spec -> {
                    BackupSpec backup = new BackupSpec();
                    backup.getLogical().setEnabled(false);
                    backup.getVelero().setEnabled(true);
                    spec.setBackup(backup);
                  }))
          .create();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(client.apps().deployments().inNamespace(NS).withName("shop").get())
                    .isNotNull();
                assertThat(client.services().inNamespace(NS).withName("shop").get()).isNotNull();
                AppEnvironment env =
                    client.resources(AppEnvironment.class).inNamespace(NS).withName("shop").get();
                assertThat(env.getStatus()).isNotNull();
                var found =
                    Conditions.find(
                        env.getStatus().getConditions(), ConditionType.MONITORING_INSTALLED);
                assertThat(found).isPresent();
                Condition monitoring = found.get();
                assertThat(monitoring.getStatus()).isEqualTo("False");
                assertThat(monitoring.getReason()).isEqualTo("PrometheusOperatorNotInstalled");
                assertThat(
                        Conditions.find(
                            env.getStatus().getConditions(), ConditionType.ALERTS_INSTALLED))
                    .get()
                    .satisfies(
                        alerts ->
                            assertThat(alerts.getReason())
                                .isEqualTo("PrometheusOperatorNotInstalled"));
                assertThat(
                        Conditions.find(
                            env.getStatus().getConditions(),
                            ConditionType.VELERO_SCHEDULE_INSTALLED))
                    .get()
                    .satisfies(
                        velero -> assertThat(velero.getReason()).isEqualTo("VeleroNotInstalled"));
                assertThat(
                        Conditions.isTrue(env.getStatus().getConditions(), ConditionType.DEGRADED))
                    .isFalse();
              });
    } finally {
      operator.stop();
    }
  }
}
