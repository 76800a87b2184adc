package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.telemetry.support.ApiClient;
import io.appenv.telemetry.support.IntegrationTest;
import io.appenv.telemetry.support.ReadingsJson;
import io.appenv.telemetry.support.ReadingsJson.Row;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaginationTest extends IntegrationTest {

  private static final Instant T0 = Instant.parse("2025-02-01T00:00:00Z");

  /** Key of one reading as the API returns it. */
  private record Key(Instant timestamp, String metric) {}

  @Test
  void walkingAllPagesReturnsEveryReadingInRangeExactlyOnceInOrder() {
    String device = uniqueDevice("pages");
    List<Row> rows = seed(device);
    Instant from = T0.plusSeconds(100);
    Instant to = T0.plusSeconds(2_900);
    List<Key> expected =
        rows.stream()
            .filter(r -> !r.timestamp().isBefore(from) && r.timestamp().isBefore(to))
            .map(r -> new Key(r.timestamp(), r.metric()))
            .sorted(Comparator.comparing(Key::timestamp).thenComparing(Key::metric))
            .toList();

    List<Key> walked = walk(device, "from=" + from + "&to=" + to + "&limit=97");

    assertThat(walked).hasSize(expected.size()).doesNotHaveDuplicates();
    assertThat(walked).containsExactlyElementsOf(expected);
  }

  @Test
  void metricFilterWalksOnlyThatMetric() {
    String device = uniqueDevice("pages-metric");
    List<Row> rows = seed(device);
    Set<Key> expected = new HashSet<>();
    rows.stream()
        .filter(r -> r.metric().equals("humidity"))
        .forEach(r -> expected.add(new Key(r.timestamp(), r.metric())));

    List<Key> walked =
        walk(device, "from=" + T0 + "&to=" + T0.plusSeconds(10_000) + "&metric=humidity&limit=250");

    assertThat(new HashSet<>(walked)).isEqualTo(expected);
    assertThat(walked).hasSameSizeAs(expected);
  }

  @Test
  void invalidCursorAndEmptyRangeAreRefusedWith400() {
    String range = "from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z";
    assertThat(api.get("/api/v1/devices/x/readings?" + range, READ_KEY).statusCode())
        .isEqualTo(400);
    assertThat(
            api.get(
                    "/api/v1/devices/x/readings?from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z&cursor=@@@",
                    READ_KEY)
                .statusCode())
        .isEqualTo(400);
    assertThat(
            api.get(
                    "/api/v1/devices/x/readings?from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z&limit=0",
                    READ_KEY)
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void deviceListPagesThroughDevicesInIdOrder() {
    String prefix = uniqueDevice("devlist");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(new Row(prefix + "-" + i, T0, "temp", i));
    }
    api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows));

    JsonNode firstPage =
        ApiClient.json(api.get("/api/v1/devices?after=" + prefix + "&limit=3", READ_KEY));
    JsonNode secondPage =
        ApiClient.json(
            api.get(
                "/api/v1/devices?after=" + firstPage.get("next").asText() + "&limit=3", READ_KEY));

    assertThat(firstPage.get("devices").findValuesAsText("deviceId"))
        .containsExactly(prefix + "-0", prefix + "-1", prefix + "-2");
    assertThat(secondPage.get("devices").findValuesAsText("deviceId"))
        .startsWith(prefix + "-3", prefix + "-4");
  }

  /** Two metrics sharing timestamps (so the metric breaks ties in the key) and random gaps. */
  private List<Row> seed(String device) {
    Random random = new Random(42);
    List<Row> rows = new ArrayList<>();
    int second = 0;
    for (int i = 0; i < 1_500; i++) {
      second += 1 + random.nextInt(3);
      rows.add(new Row(device, T0.plusSeconds(second), "temp", random.nextDouble()));
      if (random.nextBoolean()) {
        rows.add(new Row(device, T0.plusSeconds(second), "humidity", random.nextDouble()));
      }
    }
    HttpResponse<String> response =
        api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows));
    assertThat(response.statusCode()).isEqualTo(200);
    return rows;
  }

  private List<Key> walk(String device, String query) {
    List<Key> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path =
          "/api/v1/devices/"
              + device
              + "/readings?"
              + query
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = ApiClient.json(api.get(path, READ_KEY));
      page.get("readings")
          .forEach(
              r ->
                  walked.add(
                      new Key(
                          Instant.parse(r.get("timestamp").asText()), r.get("metric").asText())));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      assertThat(++pages).as("pages walked").isLessThan(1_000);
    } while (cursor != null);
    return walked;
  }
}
