package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** A built-in alert whose query appenv writes; the user sets how sensitive it is. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PresetAlert {
  @JsonPropertyDescription("Turn this alert off with false.")
  private Boolean enabled;

  @Pattern(Patterns.DECIMAL)
  @JsonPropertyDescription(
      "Threshold as a decimal number; its unit depends on the preset (ratio, seconds, count).")
  private String threshold;

  @JsonProperty("for")
  @Size(max = 20)
  @Pattern(Patterns.DURATION)
  @ValidationRule(
      value = Rules.IF_DURATION + "duration(self) <= duration('24h')",
      message = "must be at most 24h, e.g. 5m")
  @JsonPropertyDescription(
      "How long the condition must hold before the alert fires, e.g. 2m; at most 24h.")
  private String forDuration;

  @JsonPropertyDescription("Severity label of the alert.")
  private Severity severity;

  @JsonPropertyDescription(
      "When this alert fires during a release's verification window, roll the release back.")
  private Boolean rollback;
}
