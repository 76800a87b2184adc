package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;

/**
 * Where the PostgreSQL image comes from: the official repository, or a mirror for air-gapped
 * clusters (the operator setting APPENV_IMAGES_POSTGRES). The tag is always the major version, so
 * the major a database runs can be read back from its StatefulSet's image.
 */
public record PostgresImage(String repository) {
  public static final PostgresImage OFFICIAL = new PostgresImage("docker.io/library/postgres");

  public PostgresImage {
    String name = repository == null ? "" : repository.substring(repository.lastIndexOf('/') + 1);
    if (name.isBlank() || name.contains(":") || name.contains("@")) {
      throw new IllegalArgumentException(
          "the postgres image setting must be a repository without tag or digest"
              + " (the operator adds the major version as the tag), e.g. registry.example.com/library/postgres; got '"
              + repository
              + "'");
    }
  }

  public String of(String major) {
    return repository + ":" + major;
  }

  /**
   * The image every object of the postgres image runs (the database, its backups, the roles Job):
   * the major the database already runs, never a new major the spec asks for (that needs a dump and
   * restore), else the spec's.
   *
   * @param runningMajor the major the database's StatefulSet runs, null before it exists
   */
  public String toRun(AppEnvironment env, String runningMajor) {
    return of(runningMajor != null ? runningMajor : Postgres.major(env));
  }
}
