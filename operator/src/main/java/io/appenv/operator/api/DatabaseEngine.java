package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum DatabaseEngine {
  @JsonProperty("postgresql")
  POSTGRESQL
}
