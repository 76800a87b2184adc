package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.telemetry.support.ApiClient;
import io.appenv.telemetry.support.IntegrationTest;
import io.appenv.telemetry.support.ReadingsJson;
import io.appenv.telemetry.support.ReadingsJson.Row;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JsonIngestionTest extends IntegrationTest {

  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

  @Test
  void validBatchIsStoredAndCountedAsInserted() {
    String device = uniqueDevice("json-valid");
    HttpResponse<String> response =
        api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows(device, 50)));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = ApiClient.json(response);
    assertThat(body.get("received").asLong()).isEqualTo(50);
    assertThat(body.get("inserted").asLong()).isEqualTo(50);
    assertThat(body.get("duplicates").asLong()).isZero();
    assertThat(storedReadings(device)).isEqualTo(50);
  }

  @Test
  void repeatedBatchIsIdempotentAndReportsDuplicates() {
    String device = uniqueDevice("json-repeat");
    String batch = ReadingsJson.batch(rows(device, 20));
    api.postJson("/api/v1/readings", INGEST_KEY, batch);

    JsonNode second = ApiClient.json(api.postJson("/api/v1/readings", INGEST_KEY, batch));

    assertThat(second.get("inserted").asLong()).isZero();
    assertThat(second.get("duplicates").asLong()).isEqualTo(20);
    assertThat(storedReadings(device)).isEqualTo(20);
  }

  @Test
  void duplicatesInsideOneBatchAreSkippedAndCounted() {
    String device = uniqueDevice("json-dup-inside");
    List<Row> rows = new ArrayList<>(rows(device, 10));
    rows.addAll(rows(device, 5));

    JsonNode body =
        ApiClient.json(api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows)));

    assertThat(body.get("inserted").asLong()).isEqualTo(10);
    assertThat(body.get("duplicates").asLong()).isEqualTo(5);
  }

  @Test
  void oneInvalidRowRejectsTheWholeBatchWithRowErrorsAndWritesNothing() {
    String device = uniqueDevice("json-invalid");
    String batch =
        "{\"readings\":["
            + "{\"deviceId\":\""
            + device
            + "\",\"timestamp\":\"2025-03-01T00:00:00Z\",\"metric\":\"temp\",\"value\":1.5},"
            + "{\"deviceId\":\""
            + device
            + "\",\"timestamp\":\"yesterday\",\"metric\":\"temp\",\"value\":2},"
            + "{\"deviceId\":\""
            + device
            + "\",\"timestamp\":\"2025-03-01T00:00:02Z\",\"metric\":\"bad metric!\"}"
            + "]}";

    HttpResponse<String> response = api.postJson("/api/v1/readings", INGEST_KEY, batch);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode errors = ApiClient.json(response).get("rowErrors");
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0).get("row").asLong()).isEqualTo(2);
    assertThat(errors.get(0).get("field").asText()).isEqualTo("timestamp");
    assertThat(errors.findValuesAsText("field")).containsExactly("timestamp", "metric", "value");
    assertThat(storedReadings(device)).isZero();
  }

  @Test
  void batchAboveTheRowLimitIsRefusedWith413() {
    String device = uniqueDevice("json-too-many");
    HttpResponse<String> response =
        api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows(device, 10_001)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(storedReadings(device)).isZero();
  }

  @Test
  void bodyAboveTheByteLimitIsRefusedWith413() {
    String padding = "x".repeat(9 * 1024 * 1024);
    HttpResponse<String> response =
        api.postJson(
            "/api/v1/readings", INGEST_KEY, "{\"padding\":\"" + padding + "\",\"readings\":[]}");

    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void malformedJsonIsRefusedWith400() {
    assertThat(
            api.postJson("/api/v1/readings", INGEST_KEY, "{\"readings\":[{\"deviceId\":")
                .statusCode())
        .isEqualTo(400);
    assertThat(api.postJson("/api/v1/readings", INGEST_KEY, "[1,2]").statusCode()).isEqualTo(400);
    assertThat(
            api.postJson("/api/v1/readings", INGEST_KEY, "{\"readings\":[{\"value\":\"high\"}]}")
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void tagsAreStoredAsJson() {
    String device = uniqueDevice("json-tags");
    String batch =
        "{\"readings\":[{\"deviceId\":\""
            + device
            + "\",\"timestamp\":\"2025-03-01T00:00:00+01:00\","
            + "\"metric\":\"temp\",\"value\":3,\"tags\":{\"site\":\"north \\\"A\\\"\",\"unit\":\"C\"}}]}";

    assertThat(api.postJson("/api/v1/readings", INGEST_KEY, batch).statusCode()).isEqualTo(200);

    String tags =
        superuserJdbc()
            .queryForObject(
                "SELECT tags->>'site' FROM reading WHERE device_id = ?", String.class, device);
    assertThat(tags).isEqualTo("north \"A\"");
    Instant ts =
        superuserJdbc()
            .queryForObject("SELECT ts FROM reading WHERE device_id = ?", Timestamp.class, device)
            .toInstant();
    assertThat(ts).isEqualTo(Instant.parse("2025-02-28T23:00:00Z"));
  }

  private static List<Row> rows(String device, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new Row(device, T0.plusSeconds(i), "temp", i * 0.5))
        .toList();
  }
}
