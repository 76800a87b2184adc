package io.appenv.operator.builders;

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
}
