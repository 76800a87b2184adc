package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the app finds its database: plain values for where, Secret references for passwords, under
 * the generic DATABASE_* names and Spring Boot's own (datasource as app, Flyway as owner).
 */
public final class PostgresClientEnv {
  private PostgresClientEnv() {}

  public static List<EnvVar> of(AppEnvironment env) {
    String secret = Names.databaseCredentials(env);
    return List.of(
        value("DATABASE_HOST", Postgres.host(env)),
        value("DATABASE_PORT", String.valueOf(Postgres.PORT)),
        value("DATABASE_NAME", Postgres.databaseName(env)),
        value("DATABASE_USERNAME", Postgres.APP),
        PostgresStatefulSetBuilder.fromSecret("DATABASE_PASSWORD", secret, Postgres.APP_PASSWORD),
        value("DATABASE_READONLY_USERNAME", Postgres.READONLY),
        PostgresStatefulSetBuilder.fromSecret(
            "DATABASE_READONLY_PASSWORD", secret, Postgres.READONLY_PASSWORD),
        value("SPRING_DATASOURCE_URL", Postgres.jdbcUrl(env)),
        value("SPRING_DATASOURCE_USERNAME", Postgres.APP),
        PostgresStatefulSetBuilder.fromSecret(
            "SPRING_DATASOURCE_PASSWORD", secret, Postgres.APP_PASSWORD),
        value("SPRING_FLYWAY_USER", Postgres.OWNER),
        PostgresStatefulSetBuilder.fromSecret(
            "SPRING_FLYWAY_PASSWORD", secret, Postgres.OWNER_PASSWORD));
  }

  /** The variables appenv sets when a database exists; the spec may not set them itself. */
  public static Set<String> names() {
    AppEnvironment any = new AppEnvironment();
    any.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("x").build());
    return of(any).stream().map(EnvVar::getName).collect(Collectors.toUnmodifiableSet());
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
