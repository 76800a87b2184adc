package io.appenv.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The operator process as it ships: Spring Boot wiring, health groups, metrics and JSON logs. */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"appenv.server-side-apply=false", "appenv.watch-namespaces=shop-dev"})
class OperatorApplicationTest {
  private static final KubernetesMockServer SERVER = MockApiServer.start();

  @TestConfiguration
  static class MockCluster {
    @Bean(destroyMethod = "close")
    @Primary
    KubernetesClient mockClusterClient() {
      return SERVER.createClient();
    }
  }

  @Autowired KubernetesClient client;
  @LocalServerPort int port;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void stopServer() {
    SERVER.destroy();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void becomesReadyOnceTheOperatorHasStartedAndIsLiveMeanwhile() throws Exception {
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      HttpResponse<String> readiness = get("/actuator/health/readiness");
      assertThat(readiness.statusCode()).isEqualTo(200);
      assertThat(readiness.body()).contains("\"UP\"");
    });
  }

  @Test
  void exposesJosdkMetricsInPrometheusFormat() throws Exception {
    client.resource(TestEnvironments.rolling("shop-dev", "metered")).create();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        client.resources(AppEnvironment.class).inNamespace("shop-dev").withName("metered").get().getStatus() != null);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      HttpResponse<String> metrics = get("/actuator/prometheus");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("operator_sdk_reconciliations_executions_appenvironment")
          .contains("operator_sdk_reconciliations_success").contains("jvm_memory_used_bytes");
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
