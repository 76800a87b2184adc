package io.appenv.telemetry.support;

import io.appenv.telemetry.local.EmbeddedPostgresServer;
import io.appenv.telemetry.security.ApiKeyRegistry;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app on a random port against the shared embedded PostgreSQL, connected as the production
 * roles (app, readonly; Flyway as owner). Tests isolate themselves by using fresh device ids
 * instead of truncating, so they share one Spring context.
 */
@AutoConfigureObservability // Spring Boot tests leave metrics export off unless asked.
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "telemetry.embedded-postgres.enabled=true")
public abstract class IntegrationTest {

  public static final String INGEST_KEY = "test-ingest-key";
  public static final String READ_KEY = "test-read-key";

  @LocalServerPort protected int port;

  protected ApiClient api;

  @DynamicPropertySource
  static void apiKeys(DynamicPropertyRegistry registry) {
    registry.add(
        "telemetry.api-keys",
        () ->
            ApiKeyRegistry.sha256Hex(INGEST_KEY)
                + ":ingest,"
                + ApiKeyRegistry.sha256Hex(READ_KEY)
                + ":read");
  }

  @BeforeEach
  void connectClient() {
    api = new ApiClient(port);
  }

  protected static String uniqueDevice(String purpose) {
    return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Superuser access to the telemetry database, to check what the API wrote. */
  protected static JdbcTemplate superuserJdbc() {
    return new JdbcTemplate(
        EmbeddedPostgresServer.server().getDatabase("postgres", EmbeddedPostgresServer.DATABASE));
  }

  protected static long storedReadings(String deviceId) {
    Long count =
        superuserJdbc()
            .queryForObject(
                "SELECT count(*) FROM reading WHERE device_id = ?", Long.class, deviceId);
    return count == null ? 0 : count;
  }
}
