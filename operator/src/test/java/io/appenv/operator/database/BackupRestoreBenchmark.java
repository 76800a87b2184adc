package io.appenv.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times the backup CronJob's script and the restore script on a ~1 GB database (`make
 * bench-backup`): a sensor-readings table of BENCH_BACKUP_ROWS rows (default 4 million, with its
 * primary key), dumped with backup.sh, restored with restore.sh into a new database, and checked by
 * row count and a checksum of every row.
 */
@Tag("bench")
class BackupRestoreBenchmark {
  private static final long ROWS =
      Long.parseLong(System.getenv().getOrDefault("BENCH_BACKUP_ROWS", "4000000"));

  @TempDir Path backups;

  @Test
  void backupAndRestoreOfAGigabyteDatabase() throws Exception {
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("max_wal_size", "4GB")
            .setServerConfig("maintenance_work_mem", "256MB")
            .start()) {
      String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/";
      try (Connection admin = DriverManager.getConnection(url + "postgres", "postgres", "");
          Statement sql = admin.createStatement()) {
        sql.execute("CREATE DATABASE telemetry");
      }
      long started = System.nanoTime();
      try (Connection db = DriverManager.getConnection(url + "telemetry", "postgres", "");
          Statement sql = db.createStatement()) {
        sql.execute(
            "CREATE TABLE reading (sensor_id text, ts timestamptz, metric text, value double precision,"
                + " payload jsonb, PRIMARY KEY (sensor_id, ts, metric))");
        sql.execute(
            "INSERT INTO reading SELECT 'sensor-' || (g % 2000), timestamptz '2026-01-01' + g * interval '1 second',"
                + " (ARRAY['temperature','humidity','pressure'])[g % 3 + 1], random() * 100,"
                + " jsonb_build_object('firmware', '1.' || (g % 17), 'battery', round((random() * 100)::numeric, 1))"
                + " FROM generate_series(1, "
                + ROWS
                + ") g");
        sql.execute("VACUUM ANALYZE reading");
      }
      double loadSeconds = seconds(started);
      long databaseBytes = size(url, "telemetry");

      started = System.nanoTime();
      String backupOutput = run(postgres, "backup.sh");
      double backupSeconds = seconds(started);
      Path dump = onlyDump();
      long dumpBytes = Files.size(dump);

      started = System.nanoTime();
      String restoreOutput = run(postgres, "restore.sh", dump.toString(), "telemetry_restored");
      double restoreSeconds = seconds(started);

      assertThat(backupOutput).contains("backup ");
      assertThat(restoreOutput).contains("restored ");
      String checksum = "SELECT count(*), sum(hashtext(r::text)::bigint) FROM reading r";
      assertThat(query(url, "telemetry_restored", checksum))
          .as("every row restored")
          .isEqualTo(query(url, "telemetry", checksum));

      System.out.printf(
          "%nBENCH backup/restore: %,d rows, database %.2f GB (generated in %.0f s)%n",
          ROWS, databaseBytes / 1e9, loadSeconds);
      System.out.printf(
          "BENCH backup.sh:  %.1f s, dump %.0f MB (pg_dump -Fc --compress=6), %.0f MB/s of database%n",
          backupSeconds, dumpBytes / 1e6, databaseBytes / 1e6 / backupSeconds);
      System.out.printf(
          "BENCH restore.sh: %.1f s into a new database (%.2f GB), %.0f MB/s, single transaction%n",
          restoreSeconds,
          size(url, "telemetry_restored") / 1e9,
          databaseBytes / 1e6 / restoreSeconds);
    }
  }

  private Path onlyDump() throws Exception {
    try (Stream<Path> files = Files.list(backups)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".dump"))
          .findFirst()
          .orElseThrow();
    }
  }

  private String run(EmbeddedPostgres postgres, String script, String... args) throws Exception {
    PostgresScripts scripts =
        new PostgresScripts(postgres.getPort(), "telemetry", backups, Map.of());
    return PostgresScripts.finish(scripts.start(Map.of(), script, args), Duration.ofMinutes(60), 0);
  }

  private static long size(String url, String database) throws Exception {
    return Long.parseLong(query(url, database, "SELECT pg_database_size(current_database())"));
  }

  private static String query(String url, String database, String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(url + database, "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      StringBuilder row = new StringBuilder();
      for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
        row.append(c > 1 ? "," : "").append(result.getString(c));
      }
      return row.toString();
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
