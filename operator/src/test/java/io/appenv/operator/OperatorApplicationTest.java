package io.appenv.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.DatabaseSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The operator process as it ships: Spring Boot wiring, health groups, metrics and JSON logs. */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "appenv.server-side-apply=false",
      "appenv.watch-namespaces=shop-dev",
      "appenv.images.postgres=registry.example.com/mirror/postgres"
    })
class OperatorApplicationTest extends OperatorProcessTest {

  @Test
  void becomesReadyOnceTheOperatorHasStartedAndIsLiveMeanwhile() throws Exception {
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              HttpResponse<String> readiness = get("/actuator/health/readiness");
              assertThat(readiness.statusCode()).isEqualTo(200);
              assertThat(readiness.body()).contains("\"UP\"");
            });
  }

  @Test
  void exposesJosdkMetricsInPrometheusFormat() throws Exception {
    client.resource(TestEnvironments.rolling("shop-dev", "metered")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client
                        .resources(AppEnvironment.class)
                        .inNamespace("shop-dev")
                        .withName("metered")
                        .get()
                        .getStatus()
                    != null);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              HttpResponse<String> metrics = get("/actuator/prometheus");
              assertThat(metrics.statusCode()).isEqualTo(200);
              assertThat(metrics.body())
                  .contains("operator_sdk_reconciliations_executions_appenvironment")
                  .contains("operator_sdk_reconciliations_success")
                  .contains("jvm_memory_used_bytes");
              // JOSDK's series are per controller: no environment's name in them.
              assertThat(
                      metrics
                          .body()
                          .lines()
                          .filter(line -> line.startsWith("operator_sdk_"))
                          .filter(line -> line.contains("metered")))
                  .isEmpty();
            });
  }

  @Test
  void thePostgresImageComesFromTheMirrorTheOperatorIsSetToUse() {
    client
        .resource(
            TestEnvironments.rolling(
                "shop-dev", "mirrored", spec -> spec.setDatabase(new DatabaseSpec())))
        .create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              StatefulSet database =
                  client
                      .apps()
                      .statefulSets()
                      .inNamespace("shop-dev")
                      .withName("mirrored-db")
                      .get();
              assertThat(database).isNotNull();
              assertThat(
                      database.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .isEqualTo("registry.example.com/mirror/postgres:17");
            });
  }

  @Test
  void logsAreStructuredJson(CapturedOutput output) throws Exception {
    ObjectMapper json = new ObjectMapper();
    var lines = Arrays.stream(output.getOut().split("\n")).filter(l -> l.startsWith("{")).toList();

    assertThat(lines).isNotEmpty();
    assertThat(json.readTree(lines.get(0)).has("@timestamp")).isTrue();
    assertThat(json.readTree(lines.get(0)).at("/log/level").asText()).isNotEmpty();
  }
}
