package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.PostgresVersion;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.Locale;
import java.util.Optional;

/** Facts of an environment's PostgreSQL that several builders share: names, port, roles, image. */
public final class Postgres {
  public static final int PORT = 5432;

  /** Roles the init script creates; see docs/database.md for what each may do. */
  public static final String OWNER = "owner";

  public static final String APP = "app";
  public static final String READONLY = "readonly";

  /** Keys of the credentials Secret. */
  public static final String SUPERUSER_PASSWORD = "superuser-password";

  public static final String OWNER_PASSWORD = "owner-password";
  public static final String APP_PASSWORD = "app-password";
  public static final String READONLY_PASSWORD = "readonly-password";

  private Postgres() {}

  /**
   * Every pod of the postgres image (database, backups, roles Job) runs as its postgres user, uid
   * 999.
   */
  public static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(999L)
        .withFsGroup(999L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  public static SecurityContext containerSecurityContext() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  public static boolean isEnabled(AppEnvironment env) {
    return env.getSpec().getDatabase() != null;
  }

  public static DatabaseSpec spec(AppEnvironment env) {
    return Optional.ofNullable(env.getSpec().getDatabase()).orElseGet(DatabaseSpec::new);
  }

  /** The database name: the environment's name, as a plain SQL identifier. */
  public static String databaseName(AppEnvironment env) {
    return Names.app(env).replace('-', '_').toLowerCase(Locale.ROOT);
  }

  public static String major(AppEnvironment env) {
    return Optional.ofNullable(spec(env).getVersion()).orElse(PostgresVersion.V17).major();
  }

  /** The major version an image runs, or null when the tag does not say. */
  public static String majorOf(String image) {
    int colon = image == null ? -1 : image.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    String tag = image.substring(colon + 1);
    int dot = tag.indexOf('.');
    return dot < 0 ? tag : tag.substring(0, dot);
  }

  public static String host(AppEnvironment env) {
    return Names.database(env);
  }

  public static String jdbcUrl(AppEnvironment env) {
    return "jdbc:postgresql://" + host(env) + ":" + PORT + "/" + databaseName(env);
  }
}
