package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kind of an environment; it picks replica and alerting defaults. */
public enum EnvironmentType {
  @JsonProperty("dev")
  DEV(1),
  @JsonProperty("staging")
  STAGING(2),
  @JsonProperty("prod")
  PROD(3);

  private final int defaultReplicas;

  EnvironmentType(int defaultReplicas) {
    this.defaultReplicas = defaultReplicas;
  }

  public int defaultReplicas() {
    return defaultReplicas;
  }
}
