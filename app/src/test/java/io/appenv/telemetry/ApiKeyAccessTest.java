package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.telemetry.support.IntegrationTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ApiKeyAccessTest extends IntegrationTest {

  private static final String READINGS =
      "/api/v1/devices/any/readings?from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z";
  private static final String EMPTY_BATCH = "{\"readings\":[]}";

  @Test
  void requestsWithoutAKeyAreRefusedWith401() {
    assertThat(api.get(READINGS, null).statusCode()).isEqualTo(401);
    assertThat(api.postJson("/api/v1/readings", null, EMPTY_BATCH).statusCode()).isEqualTo(401);
    assertThat(api.get("/api/v1/devices", null).headers().firstValue("WWW-Authenticate"))
        .contains("Bearer");
  }

  @Test
  void unknownKeyIsRefusedWith401() {
    assertThat(api.get(READINGS, "not-a-configured-key").statusCode()).isEqualTo(401);
  }

  @Test
  void readKeyCannotIngestAnd403Says() {
    assertThat(api.postJson("/api/v1/readings", READ_KEY, EMPTY_BATCH).statusCode()).isEqualTo(403);
    assertThat(api.postCsv(READ_KEY, InputStream::nullInputStream).statusCode()).isEqualTo(403);
  }

  @Test
  void ingestKeyCannotReadAnd403Says() {
    assertThat(api.get(READINGS, INGEST_KEY).statusCode()).isEqualTo(403);
    assertThat(api.get("/api/v1/devices", INGEST_KEY).statusCode()).isEqualTo(403);
  }

  @Test
  void rightRoleIsLetThrough() {
    assertThat(api.get(READINGS, READ_KEY).statusCode()).isEqualTo(200);
    assertThat(api.postJson("/api/v1/readings", INGEST_KEY, EMPTY_BATCH).statusCode())
        .isEqualTo(200);
  }

  @Test
  void bearerAuthorizationHeaderIsAcceptedToo() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api.baseUrl() + READINGS))
            .header("Authorization", "Bearer " + READ_KEY)
            .build();
    assertThat(
            HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void probesMetricsAndThePageNeedNoKey() {
    assertThat(api.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(api.get("/actuator/prometheus", null).statusCode()).isEqualTo(200);
    assertThat(api.get("/", null).statusCode()).isEqualTo(200);
  }
}
