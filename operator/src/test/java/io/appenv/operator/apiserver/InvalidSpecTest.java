package io.appenv.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorTestSupport;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentSpec;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.CustomAlert;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.api.Phase;
import io.appenv.operator.events.Reason;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.status.Conditions;
import io.appenv.operator.upstream.PrometheusRule;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What only the operator can refuse, on a real kube-apiserver with the Prometheus Operator's
 * admission webhook installed: each spec passes admission, then ends Degraded with reason
 * InvalidSpec and a message that names the field and says what to change, and nothing is created
 * for it. docs/api.md lists the same table. An API server of its own: the shared one must stay
 * without the Prometheus Operator's CRDs.
 */
class InvalidSpecTest {
  private static final String NS = "invalid-spec";
  private static RealApiServer.Separate apiServer;
  private static PrometheusAdmissionWebhook webhook;
  private static Operator operator;
  private static KubernetesClient client;

  @BeforeAll
  static void startOperatorBesideTheWebhook() throws Exception {
    apiServer = RealApiServer.separate();
    client = apiServer.client();
    webhook = PrometheusAdmissionWebhook.installIn(client);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    // JOSDK remembers for the whole JVM whether an optional CRD exists; this server has one the
    // shared one lacks.
    CRDPresentActivationCondition.clearState();
    operator =
        OperatorFactory.create(
            client,
            new SimpleMeterRegistry(),
            OperatorTestSupport.properties(List.of(NS), true),
            Clock.systemUTC());
    operator.start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    CRDPresentActivationCondition.clearState();
    if (webhook != null) {
      webhook.close();
    }
    apiServer.close();
  }

  record Case(String name, Consumer<AppEnvironmentSpec> change, String expectedMessage) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> specsOnlyTheOperatorRefuses() {
    return Stream.of(
        new Case(
            "reserved variable",
            spec -> spec.getApp().setEnv(List.of(EnvVarSpec.literal("APPENV_MODE", "x"))),
            "spec.app.env APPENV_MODE: names starting with APPENV_ are reserved for appenv; rename it"),
        new Case(
            "cron range backwards",
            backup("0 5-1 * * *"),
            "spec.backup.schedule \"0 5-1 * * *\": the hour range 5-1 runs backwards: write it from the lower value"
                + " to the higher, e.g. 1-5"),
        new Case(
            "cron date that never comes",
            backup("0 2 30 2 *"),
            "spec.backup.schedule \"0 2 30 2 *\": never runs: no month it names has that day"),
        new Case(
            "alert expr not promql",
            customAlert("hello world", null),
            "spec.monitoring.alerts.custom Custom: the Prometheus Operator's admission webhook refuses it: could not"
                + " parse expression: 1:7: parse error: unexpected identifier \"world\"; fix its expr (or summary)"),
        new Case(
            "alert expr unbalanced",
            customAlert("sum(rate(x[5m]) > 1", null),
            "spec.monitoring.alerts.custom Custom: expr has an unclosed '('"),
        new Case(
            "alert summary template",
            customAlert("up == 0", "{{ $value"),
            "spec.monitoring.alerts.custom Custom: the Prometheus Operator's admission webhook refuses it: annotation"
                + " \"summary\": template: __alert_Custom:1: unclosed action"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specsOnlyTheOperatorRefuses")
  void endsDegradedWithInvalidSpecAndSaysWhatToChange(Case invalid) {
    String name = invalid.name().replace(' ', '-');
    client.resource(TestEnvironments.rolling(NS, name, invalid.change())).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              AppEnvironment env =
                  client.resources(AppEnvironment.class).inNamespace(NS).withName(name).get();
              assertThat(env.getStatus()).isNotNull();
              assertThat(env.getStatus().getPhase()).isEqualTo(Phase.Degraded);
              assertThat(Conditions.find(env.getStatus().getConditions(), ConditionType.DEGRADED))
                  .hasValueSatisfying(
                      degraded -> {
                        assertThat(degraded.getReason()).isEqualTo(Reason.INVALID_SPEC.value());
                        assertThat(degraded.getMessage()).contains(invalid.expectedMessage());
                      });
            });
    assertThat(client.apps().deployments().inNamespace(NS).withName(name).get())
        .as("nothing applied")
        .isNull();
    assertThat(client.resources(PrometheusRule.class).inNamespace(NS).withName(name).get())
        .isNull();
  }

  @Test
  void promqlTheWebhookAcceptsIsApplied() {
    client
        .resource(
            TestEnvironments.rolling(
                NS,
                "good-promql",
                customAlert(
                    "sum by (pod) (rate(http_server_requests_seconds_count{status=~\"5..\"}[5m])) > 1",
                    "{{ $value }}")))
        .create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .resources(PrometheusRule.class)
                          .inNamespace(NS)
                          .withName("good-promql")
                          .get())
                  .isNotNull();
              AppEnvironment env =
                  client
                      .resources(AppEnvironment.class)
                      .inNamespace(NS)
                      .withName("good-promql")
                      .get();
              assertThat(env.getStatus()).isNotNull();
              assertThat(Conditions.find(env.getStatus().getConditions(), ConditionType.DEGRADED))
                  .hasValueSatisfying(
                      degraded ->
                          assertThat(degraded.getReason())
                              .isNotEqualTo(Reason.INVALID_SPEC.value()));
            });
  }

  private static Consumer<AppEnvironmentSpec> backup(String schedule) {
    return spec -> {
      BackupSpec backup = new BackupSpec();
      backup.setSchedule(schedule);
      backup.getLogical().setEnabled(false);
      spec.setBackup(backup);
    };
  }

  private static Consumer<AppEnvironmentSpec> customAlert(String expr, String summary) {
    return spec -> {
      CustomAlert alert = new CustomAlert();
      alert.setName("Custom");
      alert.setExpr(expr);
      alert.setSummary(summary);
      spec.setMonitoring(new MonitoringSpec());
      spec.getMonitoring().getAlerts().setCustom(List.of(alert));
    };
  }
}
