package io.appenv.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.builders.PostgresInitScriptBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The roles script the database Pod runs on first start, run by psql (Debian's postgresql-client)
 * against real PostgreSQL: it creates owner, app and readonly with exactly their rights, and a
 * second run changes nothing.
 */
class RolesScriptTest {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgresAndRunTheScriptTwice() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE shop");
    }
    Path script = Files.createTempFile("roles", ".sh");
    Files.writeString(
        script,
        PostgresInitScriptBuilder.build(TestEnvironments.rolling("ns", "shop"))
            .getData()
            .get(PostgresInitScriptBuilder.SCRIPT));
    runScript(script);
    runScript(script);
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  private static void runScript(Path script) throws Exception {
    runScript(script, "owner-secret", "app-secret", "readonly-secret");
  }

  private static void runScript(Path script, String owner, String app, String readonly)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    builder
        .environment()
        .putAll(
            java.util.Map.of(
                "PGHOST",
                "localhost",
                "PGPORT",
                String.valueOf(postgres.getPort()),
                "POSTGRES_USER",
                "postgres",
                "POSTGRES_DB",
                "shop",
                "OWNER_PASSWORD",
                owner,
                "APP_PASSWORD",
                app,
                "READONLY_PASSWORD",
                readonly));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static Connection as(String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/shop", user, password);
  }

  @Test
  void ownerMigratesAppReadsAndWritesReadonlyOnlyReads() throws Exception {
    try (Connection owner = as("owner", "owner-secret");
        Statement sql = owner.createStatement()) {
      sql.execute(
          "CREATE TABLE IF NOT EXISTS reading (id bigserial PRIMARY KEY, value double precision)");
    }
    try (Connection app = as("app", "app-secret");
        Statement sql = app.createStatement()) {
      sql.execute("INSERT INTO reading (value) VALUES (1.5)");
      assertThat(sql.executeQuery("SELECT count(*) FROM reading").next()).isTrue();
      assertThatThrownBy(() -> sql.execute("CREATE TABLE sneaky (id int)"))
          .hasMessageContaining("permission denied");
      // The app stages COPY batches in a temporary table (app/: ReadingWriter).
      sql.execute("CREATE TEMPORARY TABLE staging (value double precision)");
    }
    try (Connection readonly = as("readonly", "readonly-secret");
        Statement sql = readonly.createStatement()) {
      assertThat(sql.executeQuery("SELECT value FROM reading").next()).isTrue();
      assertThatThrownBy(() -> sql.execute("INSERT INTO reading (value) VALUES (2)"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> sql.execute("CREATE TEMPORARY TABLE scratch (id int)"))
          .hasMessageContaining("permission denied");
    }
  }

  /**
   * The roles Job runs the script on a database that has data, e.g. after the Secret was created
   * anew: the roles then take the Secret's passwords. The embedded server trusts local logins, so
   * the stored SCRAM verifiers are checked against the passwords instead.
   */
  @Test
  void runningTheScriptAgainSetsThePasswordsOfTheSecret() throws Exception {
    Path script = Files.createTempFile("roles", ".sh");
    Files.writeString(
        script,
        PostgresInitScriptBuilder.build(TestEnvironments.rolling("ns", "shop"))
            .getData()
            .get(PostgresInitScriptBuilder.SCRIPT));
    try {
      runScript(script, "owner-rotated", "app-rotated", "readonly-rotated");

      assertThat(scramMatches(verifier("owner"), "owner-rotated")).isTrue();
      assertThat(scramMatches(verifier("app"), "app-rotated")).isTrue();
      assertThat(scramMatches(verifier("readonly"), "readonly-rotated")).isTrue();
      assertThat(scramMatches(verifier("app"), "app-secret"))
          .as("the old password no longer works")
          .isFalse();
    } finally {
      runScript(script);
    }
  }

  private static String verifier(String role) throws SQLException {
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement sql = admin.createStatement();
        var result =
            sql.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'")) {
      result.next();
      return result.getString(1);
    }
  }

  /**
   * RFC 5802: SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey, StoredKey = H(HMAC(Hi(password),
   * "Client Key")).
   */
  private static boolean scramMatches(String verifier, String password) throws Exception {
    String[] parts = verifier.split("[$:]");
    assertThat(parts[0]).isEqualTo("SCRAM-SHA-256");
    int iterations = Integer.parseInt(parts[1]);
    byte[] salt = java.util.Base64.getDecoder().decode(parts[2]);
    var pbkdf2 = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
    byte[] salted =
        pbkdf2
            .generateSecret(
                new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256))
            .getEncoded();
    var hmac = javax.crypto.Mac.getInstance("HmacSHA256");
    hmac.init(new javax.crypto.spec.SecretKeySpec(salted, "HmacSHA256"));
    byte[] clientKey = hmac.doFinal("Client Key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
    return java.util.Arrays.equals(storedKey, java.util.Base64.getDecoder().decode(parts[3]));
  }

  /**
   * The embedded server trusts local logins, so the passwords themselves are checked in the
   * catalogue.
   */
  @Test
  void everyRoleHasAPasswordAndNoSuperpowers() throws Exception {
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement sql = admin.createStatement()) {
      var roles =
          sql.executeQuery(
              "SELECT rolname, rolpassword IS NOT NULL, rolsuper, rolcreaterole, rolcreatedb"
                  + " FROM pg_authid WHERE rolname IN ('owner', 'app', 'readonly') ORDER BY rolname");
      int count = 0;
      while (roles.next()) {
        count++;
        assertThat(roles.getBoolean(2)).as(roles.getString(1) + " has a password").isTrue();
        assertThat(roles.getBoolean(3) || roles.getBoolean(4) || roles.getBoolean(5))
            .as(roles.getString(1) + " is not superuser and creates no roles or databases")
            .isFalse();
      }
      assertThat(count).isEqualTo(3);
    }
  }
}
