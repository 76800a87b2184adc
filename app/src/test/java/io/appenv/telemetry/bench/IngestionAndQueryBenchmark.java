package io.appenv.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.telemetry.support.ApiClient;
import io.appenv.telemetry.support.IntegrationTest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Not a timed test: prints figures. Ingests the same rows three ways into the same table on the
 * same PostgreSQL (raw server-side COPY from a file as the ceiling, then the API's CSV import and
 * JSON batches), then measures one-day range queries of one device on a 10-million-row table. Run
 * with app/bench.sh (the bench profile selects this tag only).
 */
@Tag("bench")
class IngestionAndQueryBenchmark extends IntegrationTest {

  private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
  private static final int QUERY_ROWS = Integer.getInteger("bench.queryRows", 10_000_000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  private static final int DEVICES = 100;
  private static final int JSON_BATCH = 5_000;
  private static final int QUERY_SAMPLES = 300;
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final List<String> results = new ArrayList<>();

  @Test
  void ingestionThroughputAndQueryLatency() throws Exception {
    Path csv = writeCsv(ROWS);
    JdbcTemplate db = superuserJdbc();
    warmUp(db);

    List<String> batches = jsonBatches(ROWS);
    double copyRate = 0;
    double csvRate = 0;
    double jsonRate = 0;
    double jsonParallelRate = 0;
    // Best of several rounds, interleaved, so a noisy neighbour on a shared machine skews all
    // four paths alike instead of whichever happened to run at the wrong moment.
    for (int round = 1; round <= ROUNDS; round++) {
      reset(db);
      db.update(
          "INSERT INTO device (device_id) SELECT 'bench-' || d FROM generate_series(0, ?) d",
          DEVICES - 1);
      copyRate =
          Math.max(
              copyRate,
              measure(
                  round,
                  "raw COPY from file (server-side)",
                  ROWS,
                  () ->
                      db.execute(
                          "COPY reading (device_id, ts, metric, value) FROM '"
                              + csv
                              + "' WITH (FORMAT csv, HEADER true)")));

      reset(db);
      csvRate =
          Math.max(
              csvRate,
              measure(
                  round,
                  "API CSV import (POST /api/v1/readings/import)",
                  ROWS,
                  () -> {
                    var response = api.postCsv(INGEST_KEY, () -> open(csv));
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                  }));

      reset(db);
      jsonRate =
          Math.max(
              jsonRate,
              measure(
                  round,
                  "API JSON batches of " + JSON_BATCH + ", 1 client",
                  ROWS,
                  () -> {
                    for (String batch : batches) {
                      assertThat(api.postJson("/api/v1/readings", INGEST_KEY, batch).statusCode())
                          .isEqualTo(200);
                    }
                  }));

      reset(db);
      jsonParallelRate =
          Math.max(
              jsonParallelRate,
              measure(
                  round,
                  "API JSON batches of " + JSON_BATCH + ", 2 clients",
                  ROWS,
                  () -> sendInParallel(batches, 2)));
    }
    results.add(
        String.format(
            "best of %d rounds, rows/s: raw COPY %,.0f; CSV import %,.0f (%.0f%%); "
                + "JSON 1 client %,.0f (%.0f%%); JSON 2 clients %,.0f (%.0f%%)",
            ROUNDS,
            copyRate,
            csvRate,
            100 * csvRate / copyRate,
            jsonRate,
            100 * jsonRate / copyRate,
            jsonParallelRate,
            100 * jsonParallelRate / copyRate));

    queryLatency(db);
    report();
  }

  /** Lets the JIT compile the ingestion paths first, so the figures are not mostly warm-up. */
  private void warmUp(JdbcTemplate db) throws IOException {
    reset(db);
    Path small = writeCsv(50_000);
    api.postCsv(INGEST_KEY, () -> open(small));
    reset(db);
    jsonBatches(50_000).forEach(batch -> api.postJson("/api/v1/readings", INGEST_KEY, batch));
    Files.delete(small);
  }

  private void queryLatency(JdbcTemplate db) {
    reset(db);
    int minutesPerDevice = QUERY_ROWS / DEVICES;
    long start = System.nanoTime();
    db.update(
        "INSERT INTO device (device_id) SELECT 'bench-' || d FROM generate_series(0, ?) d",
        DEVICES - 1);
    // Device-major order, like real per-device streams arriving over time.
    db.update(
        "INSERT INTO reading (device_id, ts, metric, value) "
            + "SELECT 'bench-' || d, timestamptz '2025-01-01 00:00:00+00' + m * interval '1 minute', 'temp', random() * 40 "
            + "FROM generate_series(0, ?) d, generate_series(0, ?) m",
        DEVICES - 1,
        minutesPerDevice - 1);
    db.execute("VACUUM ANALYZE reading");
    long rows = db.queryForObject("SELECT count(*) FROM reading", Long.class);
    results.add(
        String.format(
            "query table: %,d rows generated in %.0f s; heap %s, primary key index %s",
            rows,
            (System.nanoTime() - start) / 1e9,
            db.queryForObject("SELECT pg_size_pretty(pg_relation_size('reading'))", String.class),
            db.queryForObject(
                "SELECT pg_size_pretty(pg_relation_size('reading_pkey'))", String.class)));

    int days = minutesPerDevice / 1440;
    for (int i = 0; i < 50; i++) {
      timeGet(
          "/api/v1/devices/bench-"
              + i
              + "/readings?from="
              + T0
              + "&to="
              + T0.plus(Duration.ofDays(1))
              + "&limit=10000",
          Math.min(1440, minutesPerDevice));
    }
    Random random = new Random(1);
    long[] readings = new long[QUERY_SAMPLES];
    long[] aggregates = new long[QUERY_SAMPLES];
    for (int i = 0; i < QUERY_SAMPLES; i++) {
      String device = "bench-" + random.nextInt(DEVICES);
      Instant from = T0.plus(Duration.ofDays(random.nextInt(Math.max(1, days - 1))));
      String range = "from=" + from + "&to=" + from.plus(Duration.ofDays(1));
      readings[i] =
          timeGet("/api/v1/devices/" + device + "/readings?" + range + "&limit=10000", 1440);
      aggregates[i] =
          timeGet("/api/v1/devices/" + device + "/aggregates?metric=temp&window=hour&" + range, -1);
    }
    results.add(latencies("one device, one day of readings (1,440 rows, one page)", readings));
    results.add(latencies("one device, one day, hourly aggregates (24 buckets)", aggregates));
  }

  /** Each client sends every n-th batch; the rows never overlap, so all of them are inserted. */
  private void sendInParallel(List<String> batches, int clients) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        ApiClient own = new ApiClient(port);
        sent.add(
            pool.submit(
                () -> {
                  for (int i = client; i < batches.size(); i += clients) {
                    assertThat(
                            own.postJson("/api/v1/readings", INGEST_KEY, batches.get(i))
                                .statusCode())
                        .isEqualTo(200);
                  }
                }));
      }
      for (Future<?> future : sent) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private long timeGet(String path, int expectedRows) {
    long start = System.nanoTime();
    var response = api.get(path, READ_KEY);
    long elapsed = System.nanoTime() - start;
    assertThat(response.statusCode()).isEqualTo(200);
    if (expectedRows >= 0) {
      assertThat(ApiClient.json(response).get("readings").size()).isEqualTo(expectedRows);
    }
    return elapsed;
  }

  private static String latencies(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "%s over %d HTTP requests: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms",
        what,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.95)] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6);
  }

  private double measure(int round, String what, int rows, ThrowingRunnable run) throws Exception {
    long start = System.nanoTime();
    run.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    Long stored = superuserJdbc().queryForObject("SELECT count(*) FROM reading", Long.class);
    assertThat(stored).isEqualTo(rows);
    double rate = rows / seconds;
    results.add(
        String.format(
            "round %d: %-50s %,10.0f rows/s (%,d rows in %.1f s)",
            round, what, rate, rows, seconds));
    return rate;
  }

  private static void reset(JdbcTemplate db) {
    db.execute("TRUNCATE reading, device");
    db.execute("CHECKPOINT");
  }

  private static Path writeCsv(int rows) throws IOException {
    Path file = Files.createTempFile("bench-readings", ".csv");
    file.toFile().deleteOnExit();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      out.write("device_id,timestamp,metric,value\n");
      for (int i = 0; i < rows; i++) {
        out.write(line(i));
      }
    }
    // The PostgreSQL server process reads this file for the raw COPY.
    file.toFile().setReadable(true, false);
    return file;
  }

  private static List<String> jsonBatches(int rows) {
    List<String> batches = new ArrayList<>();
    for (int first = 0; first < rows; first += JSON_BATCH) {
      StringJoiner batch = new StringJoiner(",", "{\"readings\":[", "]}");
      for (int i = first; i < Math.min(rows, first + JSON_BATCH); i++) {
        batch.add(
            "{\"deviceId\":\"bench-"
                + (i % DEVICES)
                + "\",\"timestamp\":\""
                + T0.plusSeconds(i / DEVICES)
                + "\",\"metric\":\"temp\",\"value\":"
                + value(i)
                + "}");
      }
      batches.add(batch.toString());
    }
    return batches;
  }

  /** Row i: device i % 100, one reading per device per second, so rows interleave devices. */
  private static String line(int i) {
    return "bench-"
        + (i % DEVICES)
        + ","
        + T0.plusSeconds(i / DEVICES)
        + ",temp,"
        + value(i)
        + "\n";
  }

  private static double value(int i) {
    return (i * 7919L % 4000) / 100.0;
  }

  private static InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void report() throws IOException {
    String text =
        "BENCHMARK ("
            + Runtime.getRuntime().availableProcessors()
            + " cores, embedded PostgreSQL 14)\n"
            + String.join("\n", results)
            + "\n";
    System.out.print(text);
    Files.writeString(Path.of("target", "bench-results.txt"), text);
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
