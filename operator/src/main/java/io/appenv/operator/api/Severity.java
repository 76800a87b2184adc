package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Alert severity, ordered from least to most severe. */
public enum Severity {
  @JsonProperty("info")
  INFO,
  @JsonProperty("warning")
  WARNING,
  @JsonProperty("critical")
  CRITICAL;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
