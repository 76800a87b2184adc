package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.telemetry.support.ApiClient;
import io.appenv.telemetry.support.GeneratedCsv;
import io.appenv.telemetry.support.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvImportTest extends IntegrationTest {

  @Test
  void hundredThousandRowImportIsStreamedAndFullyStored() {
    String device = uniqueDevice("csv-100k");
    HttpResponse<String> response =
        api.postCsv(INGEST_KEY, () -> GeneratedCsv.stream(device, 100_000, -1));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = ApiClient.json(response);
    assertThat(body.get("inserted").asLong()).isEqualTo(100_000);
    assertThat(body.get("duplicates").asLong()).isZero();
    assertThat(storedReadings(device)).isEqualTo(100_000);
  }

  @Test
  void invalidRowDeepInTheFileRejectsTheImportAndWritesNothing() {
    String device = uniqueDevice("csv-invalid");
    HttpResponse<String> response =
        api.postCsv(INGEST_KEY, () -> GeneratedCsv.stream(device, 5_000, 4_321));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode errors = ApiClient.json(response).get("rowErrors");
    assertThat(errors).hasSize(1);
    // Line 1 is the header, so data row 4321 (0-based) is on line 4323.
    assertThat(errors.get(0).get("row").asLong()).isEqualTo(4_323);
    assertThat(errors.get(0).get("field").asText()).isEqualTo("value");
    assertThat(storedReadings(device)).isZero();
  }

  @Test
  void rowsOfARejectedImportNeverLeakIntoTheNextBatchOnAPooledConnection() {
    // The staging table lives as long as the pooled connection; more rounds than pool slots.
    for (int i = 0; i < 12; i++) {
      String device = uniqueDevice("csv-leak");
      assertThat(api.postCsv(INGEST_KEY, () -> GeneratedCsv.stream(device, 300, 299)).statusCode())
          .isEqualTo(400);

      JsonNode body =
          ApiClient.json(api.postCsv(INGEST_KEY, () -> GeneratedCsv.stream(device, 50, -1)));

      assertThat(body.get("received").asLong()).isEqualTo(50);
      assertThat(body.get("inserted").asLong()).isEqualTo(50);
      assertThat(storedReadings(device)).isEqualTo(50);
    }
  }

  @Test
  void reimportCountsEveryRowAsDuplicate() {
    String device = uniqueDevice("csv-repeat");
    api.postCsv(INGEST_KEY, () -> GeneratedCsv.stream(device, 1_000, -1));

    JsonNode body =
        ApiClient.json(api.postCsv(INGEST_KEY, () -> GeneratedCsv.stream(device, 1_000, -1)));

    assertThat(body.get("inserted").asLong()).isZero();
    assertThat(body.get("duplicates").asLong()).isEqualTo(1_000);
  }

  @Test
  void wrongHeaderIsRefusedWith400() {
    HttpResponse<String> response =
        api.postCsv(
            INGEST_KEY, () -> csv("device,time,metric,value\nd1,2025-01-01T00:00:00Z,t,1\n"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(ApiClient.json(response).get("rowErrors").get(0).get("field").asText())
        .isEqualTo("header");
  }

  @Test
  void tagsColumnIsStoredAsJson() {
    String device = uniqueDevice("csv-tags");
    String csv =
        "device_id,timestamp,metric,value,tags\n"
            + device
            + ",2025-01-01T00:00:00Z,temp,21.5,\"site=north,1;unit=C\"\n"
            + device
            + ",2025-01-01T00:01:00Z,temp,21.7,\n";

    assertThat(api.postCsv(INGEST_KEY, () -> csv(csv)).statusCode()).isEqualTo(200);

    assertThat(
            superuserJdbc()
                .queryForList(
                    "SELECT tags->>'site' FROM reading WHERE device_id = ? ORDER BY ts",
                    String.class,
                    device))
        .containsExactly("north,1", null);
  }

  private static ByteArrayInputStream csv(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
