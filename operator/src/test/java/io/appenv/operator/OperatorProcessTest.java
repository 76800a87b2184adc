package io.appenv.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * The operator process as it ships (Spring Boot, on a random port) against a fabric8 CRUD mock API
 * server of its own. Subclasses add {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties
 * = ...)}; their properties differ, so Spring never hands one class's context, bound to its server,
 * to another.
 */
@Import(OperatorProcessTest.MockCluster.class)
public abstract class OperatorProcessTest {
  private static KubernetesMockServer server;

  @Autowired protected KubernetesClient client;
  @LocalServerPort protected int port;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * Runs before Spring builds the context (JUnit's @BeforeAll precedes test instance
   * post-processing).
   */
  @BeforeAll
  static void startMockApiServer() {
    server = MockApiServer.start();
  }

  @AfterAll
  static void stopMockApiServer() {
    server.destroy();
  }

  @TestConfiguration
  static class MockCluster {
    @Bean(destroyMethod = "close")
    @Primary
    KubernetesClient mockClusterClient() {
      return server.createClient();
    }
  }

  protected HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  protected HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
