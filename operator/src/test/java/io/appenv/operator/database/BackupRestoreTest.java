package io.appenv.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore scripts the backup CronJob and the restore runbook use, run for real:
 * pg_dump and pg_restore (Debian's postgresql-client) against PostgreSQL (zonky embedded), every
 * table compared row for row, and broken dumps refused with nothing restored.
 */
class BackupRestoreTest {
  private static final List<String> TABLES = List.of("device", "reading");

  /** backup.sh names a dump after the second it was taken: PGDATABASE-20261207T142233Z.dump. */
  private static final DateTimeFormatter DUMP_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private static EmbeddedPostgres postgres;
  private static PostgresScripts scripts;
  @TempDir static Path backups;

  @BeforeAll
  static void databaseWithData() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    scripts =
        new PostgresScripts(postgres.getPort(), "shop", backups, Map.of("RETENTION_MINUTES", "60"));
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE shop");
    }
    try (Connection shop = connect("shop");
        Statement sql = shop.createStatement()) {
      sql.execute("CREATE TABLE device (id text PRIMARY KEY, tags jsonb)");
      sql.execute(
          "CREATE TABLE reading (device_id text REFERENCES device(id), ts timestamptz, metric text,"
              + " value double precision, PRIMARY KEY (device_id, ts, metric))");
      sql.execute(
          "INSERT INTO device SELECT 'd' || g, jsonb_build_object('room', g % 7) FROM generate_series(1, 50) g");
      sql.execute(
          "INSERT INTO reading SELECT 'd' || (g % 50 + 1), timestamptz '2026-11-01' + g * interval '1 minute',"
              + " 'temp', random() * 40 FROM generate_series(1, 20000) g");
    }
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  private static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database, "postgres", "");
  }

  private static Process run(String script, String... args) throws IOException {
    return run(Map.of(), script, args);
  }

  private static Process run(Map<String, String> extraEnvironment, String script, String... args)
      throws IOException {
    return scripts.start(extraEnvironment, script, args);
  }

  private static String finish(Process process, int expectedExit) throws Exception {
    return PostgresScripts.finish(process, Duration.ofSeconds(120), expectedExit);
  }

  private static Path backup() throws Exception {
    String output = finish(run("backup.sh"), 0);
    try (Stream<Path> files = Files.list(backups)) {
      List<Path> dumps =
          files.filter(p -> p.getFileName().toString().matches("shop-.*\\.dump")).sorted().toList();
      assertThat(dumps).as(output).isNotEmpty();
      assertThat(Files.list(backups).filter(p -> p.toString().endsWith(".partial"))).isEmpty();
      return dumps.get(dumps.size() - 1);
    }
  }

  private static List<List<Object>> rows(String database, String table) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection connection = connect(database);
        Statement sql = connection.createStatement();
        ResultSet result = sql.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          row.add(String.valueOf(result.getObject(c)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static long tablesIn(String database) throws SQLException {
    try (Connection connection = connect(database);
        Statement sql = connection.createStatement();
        ResultSet result =
            sql.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
      result.next();
      return result.getLong(1);
    }
  }

  @Test
  void aBackupWaitsForAServerThatAnswersLate() throws Exception {
    // Refused at first, as for a Job's pod the node's policy agent has not seen yet: the database
    // becomes reachable only once the script has been refused and waits to try again.
    int port = freePort();
    Process backup = run(Map.of("PGPORT", String.valueOf(port)), "backup.sh");

    await("backup.sh waiting to try again after a refused connection")
        .atMost(Duration.ofSeconds(10))
        .failFast("backup.sh ended without waiting for the server", () -> !backup.isAlive())
        .until(() -> waitsToTryAgain(backup));
    Thread late =
        new Thread(
            () -> {
              try {
                forward(port, postgres.getPort());
              } catch (IOException e) {
                // the test's own assertions say what went wrong
              }
            });
    late.setDaemon(true);
    late.start();

    String output = finish(backup, 0);

    assertThat(output).containsPattern("backup \\S+ [1-9][0-9]* bytes");
  }

  /** backup.sh sleeps between its tries, and only after pg_isready found no server. */
  private static boolean waitsToTryAgain(Process script) {
    return script
        .descendants()
        .anyMatch(child -> child.info().command().filter(c -> c.endsWith("/sleep")).isPresent());
  }

  @Test
  void aBackupGivesUpOnAServerThatNeverAnswersAndSaysWhy() throws Exception {
    String output =
        finish(
            run(Map.of("PGPORT", String.valueOf(freePort()), "WAIT_SECONDS", "3"), "backup.sh"), 1);

    assertThat(output).contains("did not accept connections within 3s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  /** Accepts on {@code port} and pipes each connection to {@code target}, both ways. */
  private static void forward(int port, int target) throws IOException {
    try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        pipe(client, upstream);
        pipe(upstream, client);
      }
    }
  }

  private static void pipe(Socket from, Socket to) {
    Thread copy =
        new Thread(
            () -> {
              try (from;
                  to) {
                from.getInputStream().transferTo(to.getOutputStream());
              } catch (IOException e) {
                // the other side closed
              }
            });
    copy.setDaemon(true);
    copy.start();
  }

  @Test
  void aRestoredDumpHasEveryRowOfEveryTable() throws Exception {
    Path dump = backup();

    finish(run("restore.sh", dump.toString(), "shop_restored"), 0);

    for (String table : TABLES) {
      assertThat(rows("shop_restored", table))
          .as(table)
          .isNotEmpty()
          .isEqualTo(rows("shop", table));
    }
  }

  /** What `make restore` does: the superuser restores, and owner keeps owning the schema. */
  @Test
  void anAdministratorRestoresAsTheOwnerRole() throws Exception {
    try (Connection admin = connect("postgres");
        Statement sql = admin.createStatement()) {
      sql.execute(
          "DO $$ BEGIN CREATE ROLE owner LOGIN; EXCEPTION WHEN duplicate_object THEN END $$");
    }
    Path dump = backup();

    finish(run(Map.of("RESTORE_OWNER", "owner"), "restore.sh", dump.toString(), "shop_owned"), 0);

    try (Connection restored = connect("shop_owned");
        Statement sql = restored.createStatement();
        ResultSet owners =
            sql.executeQuery(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
                    + " UNION ALL SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")) {
      List<String> names = new ArrayList<>();
      while (owners.next()) {
        names.add(owners.getString(1));
      }
      assertThat(names)
          .as("the database, then each table")
          .hasSizeGreaterThan(TABLES.size())
          .containsOnly("owner");
    }
    assertThat(rows("shop_owned", "reading")).isEqualTo(rows("shop", "reading"));
  }

  @Test
  void latestRestoresTheNewestDump() throws Exception {
    Path first = backup();
    try (Connection shop = connect("shop");
        Statement sql = shop.createStatement()) {
      sql.execute("CREATE TABLE IF NOT EXISTS added_after_first_dump (id int)");
    }
    // Dump names carry the second they were taken: the next one is taken in a later second.
    Instant firstTaken = takenAt(first);
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(firstTaken));
    Path newest = backup();

    String output = finish(run("restore.sh", "latest", "shop_latest"), 0);

    assertThat(newest).as("a dump besides the first").isNotEqualTo(first);
    assertThat(output).contains("latest dump is " + newest);
    assertThat(tablesIn("shop_latest")).isEqualTo(tablesIn("shop"));
  }

  private static Instant takenAt(Path dump) {
    String name = dump.getFileName().toString();
    String time = name.substring(name.lastIndexOf('-') + 1, name.length() - ".dump".length());
    return Instant.from(DUMP_TIME.parse(time));
  }

  @Test
  void aTruncatedDumpFailsLoudlyAndRestoresNothing() throws Exception {
    Path dump = backup();
    Path truncated = backups.resolve("truncated.dump");
    byte[] bytes = Files.readAllBytes(dump);
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    String output = finish(run("restore.sh", truncated.toString(), "shop_truncated"), 1);

    assertThat(output).containsAnyOf("not a readable pg_dump archive", "error");
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement sql = admin.createStatement();
        ResultSet exists =
            sql.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'shop_truncated'")) {
      exists.next();
      if (exists.getLong(1) == 1) {
        assertThat(tablesIn("shop_truncated")).as("nothing restored").isZero();
      }
    }
  }

  @Test
  void aCorruptedDumpFailsLoudlyAndRestoresNothing() throws Exception {
    Path dump = backup();
    Path corrupted = backups.resolve("corrupted.dump");
    byte[] bytes = Files.readAllBytes(dump);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 512 && i < bytes.length; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    Files.write(corrupted, bytes, StandardOpenOption.CREATE);

    finish(run("restore.sh", corrupted.toString(), "shop_corrupted"), 1);

    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement sql = admin.createStatement();
        ResultSet exists =
            sql.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'shop_corrupted'")) {
      exists.next();
      if (exists.getLong(1) == 1) {
        assertThat(tablesIn("shop_corrupted")).as("nothing restored").isZero();
      }
    }
  }
}
