package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Supported PostgreSQL major versions. */
public enum PostgresVersion {
  @JsonProperty("14")
  V14,
  @JsonProperty("15")
  V15,
  @JsonProperty("16")
  V16,
  @JsonProperty("17")
  V17;

  public String major() {
    return name().substring(1);
  }
}
