package io.appenv.telemetry.sql;

/** One constant per file in {@code src/main/resources/db/queries}. */
public enum Query {
  CREATE_STAGING_TABLE("create-staging-table"),
  COPY_INTO_STAGING("copy-into-staging"),
  INSERT_DEVICES_FROM_STAGING("insert-devices-from-staging"),
  INSERT_READINGS_FROM_STAGING("insert-readings-from-staging"),
  LIST_DEVICES("list-devices"),
  READINGS_FIRST_PAGE("readings-first-page"),
  READINGS_NEXT_PAGE("readings-next-page"),
  AGGREGATE_READINGS("aggregate-readings");

  private final String fileName;

  Query(String fileName) {
    this.fileName = fileName;
  }

  public String fileName() {
    return fileName;
  }
}
