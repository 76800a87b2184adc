package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.telemetry.support.ApiClient;
import io.appenv.telemetry.support.IntegrationTest;
import io.appenv.telemetry.support.ReadingsJson;
import io.appenv.telemetry.support.ReadingsJson.Row;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class OperationsEndpointsTest extends IntegrationTest {

  @Test
  void prometheusExposesIngestionCountersAndRequestHistograms() {
    String device = uniqueDevice("metrics");
    List<Row> rows = List.of(new Row(device, Instant.parse("2025-01-01T00:00:00Z"), "temp", 1));
    api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows));
    api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows));

    String metrics = api.get("/actuator/prometheus", null).body();

    assertThat(metrics)
        .containsPattern("telemetry_readings_ingested_total\\{[^}]*source=\"json\"[^}]*} [1-9]")
        .containsPattern("telemetry_readings_duplicates_total\\{[^}]*source=\"json\"[^}]*} [1-9]")
        .contains("telemetry_readings_ingested_total{application=\"telemetry\",source=\"csv\"}")
        .contains("telemetry_batches_rejected_total")
        .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/v1/readings\"")
        .contains("http_server_requests_seconds_count")
        .contains("hikaricp_connections_active");
  }

  @Test
  void readinessIncludesTheDatabaseAndLivenessIsUp() {
    JsonNode readiness = ApiClient.json(api.get("/actuator/health/readiness", null));
    assertThat(readiness.get("status").asText()).isEqualTo("UP");
    assertThat(api.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);

    // The group's members are only listed to authorized callers, so check the group config's
    // effect:
    // the database contributor is part of readiness.
    assertThat(api.get("/actuator/health/readiness/db", null).statusCode()).isEqualTo(200);
  }

  @Test
  void infoShowsTheBuildVersion() {
    JsonNode info = ApiClient.json(api.get("/actuator/info", null));
    assertThat(info.at("/build/version").asText()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(info.at("/build/artifact").asText()).isEqualTo("appenv-telemetry");
  }

  @Test
  void requestIdIsEchoedWhenSaneAndGeneratedOtherwise() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest given =
        HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/devices"))
            .header("X-Request-Id", "abc-123")
            .header("X-API-Key", READ_KEY)
            .build();
    HttpRequest forged =
        HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/devices"))
            .header("X-Request-Id", "bad id\"}")
            .header("X-API-Key", READ_KEY)
            .build();

    assertThat(
            http.send(given, HttpResponse.BodyHandlers.discarding())
                .headers()
                .firstValue("X-Request-Id"))
        .contains("abc-123");
    assertThat(
            http.send(forged, HttpResponse.BodyHandlers.discarding())
                .headers()
                .firstValue("X-Request-Id")
                .orElseThrow())
        .matches("[0-9a-f-]{36}");
  }

  @Test
  void logLinesAreEcsJsonCarryingTheRequestId(CapturedOutput output) throws Exception {
    HttpRequest invalidBatch =
        HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/readings"))
            .header("X-Request-Id", "log-check-42")
            .header("X-API-Key", INGEST_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"readings\":[{\"deviceId\":\"\"}]}"))
            .build();

    HttpClient.newHttpClient().send(invalidBatch, HttpResponse.BodyHandlers.discarding());

    // The service's own line and the access line, both ECS JSON with the request id.
    assertThat(output.getOut().lines().filter(line -> line.contains("log-check-42")))
        .hasSize(2)
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith("{")
                    .contains("\"request\":{\"id\":\"log-check-42\"}")
                    .contains("\"ecs\":{\"version\""))
        .anySatisfy(line -> assertThat(line).contains("rejected a json batch"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("io.appenv.telemetry.access")
                    .contains("POST /api/v1/readings 400"));
  }
}
