package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.telemetry.support.ApiClient;
import io.appenv.telemetry.support.IntegrationTest;
import io.appenv.telemetry.support.ReadingsJson;
import io.appenv.telemetry.support.ReadingsJson.Row;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AggregatesTest extends IntegrationTest {

  private static final Instant T0 = Instant.parse("2025-04-01T10:00:00Z");

  @Test
  void minuteAggregatesMatchValuesComputedInJava() {
    String device = uniqueDevice("agg-minute");
    List<Row> rows = seed(device, 3 * 3600, 7);

    assertBucketsMatch(
        device,
        "minute",
        ChronoUnit.MINUTES,
        rows,
        T0.plusSeconds(600),
        T0.plusSeconds(2 * 3600 + 17));
  }

  @Test
  void hourAggregatesMatchValuesComputedInJava() {
    String device = uniqueDevice("agg-hour");
    List<Row> rows = seed(device, 3 * 3600, 11);

    assertBucketsMatch(device, "hour", ChronoUnit.HOURS, rows, T0, T0.plusSeconds(4 * 3600));
  }

  @Test
  void minuteWindowOverMoreThanAWeekIsRefused() {
    String path =
        "/api/v1/devices/x/aggregates?metric=temp&window=minute&from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z";
    assertThat(api.get(path, READ_KEY).statusCode()).isEqualTo(400);
    assertThat(api.get(path.replace("window=minute", "window=week"), READ_KEY).statusCode())
        .isEqualTo(400);
  }

  private void assertBucketsMatch(
      String device, String window, ChronoUnit unit, List<Row> rows, Instant from, Instant to) {
    Map<Instant, DoubleSummaryStatistics> expected = new TreeMap<>();
    rows.stream()
        .filter(
            r ->
                r.metric().equals("temp")
                    && !r.timestamp().isBefore(from)
                    && r.timestamp().isBefore(to))
        .forEach(
            r ->
                expected
                    .computeIfAbsent(
                        r.timestamp().truncatedTo(unit), b -> new DoubleSummaryStatistics())
                    .accept(r.value()));

    JsonNode body =
        ApiClient.json(
            api.get(
                "/api/v1/devices/"
                    + device
                    + "/aggregates?metric=temp&window="
                    + window
                    + "&from="
                    + from
                    + "&to="
                    + to,
                READ_KEY));

    JsonNode buckets = body.get("buckets");
    assertThat(buckets).hasSize(expected.size());
    int i = 0;
    for (Map.Entry<Instant, DoubleSummaryStatistics> entry : expected.entrySet()) {
      JsonNode bucket = buckets.get(i++);
      DoubleSummaryStatistics stats = entry.getValue();
      assertThat(Instant.parse(bucket.get("start").asText())).isEqualTo(entry.getKey());
      assertThat(bucket.get("count").asLong()).isEqualTo(stats.getCount());
      assertThat(bucket.get("min").asDouble()).isEqualTo(stats.getMin());
      assertThat(bucket.get("max").asDouble()).isEqualTo(stats.getMax());
      assertThat(bucket.get("avg").asDouble()).isCloseTo(stats.getAverage(), within(1e-9));
    }
  }

  /**
   * Readings of temp every few seconds with random values, plus a second metric that must not leak
   * in.
   */
  private List<Row> seed(String device, int seconds, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < seconds; s += 1 + random.nextInt(5)) {
      rows.add(
          new Row(
              device, T0.plusSeconds(s), "temp", Math.round(random.nextGaussian() * 1000) / 100.0));
      rows.add(new Row(device, T0.plusSeconds(s), "pressure", 1000 + random.nextDouble()));
    }
    assertThat(api.postJson("/api/v1/readings", INGEST_KEY, ReadingsJson.batch(rows)).statusCode())
        .isEqualTo(200);
    return rows;
  }
}
