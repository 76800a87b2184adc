package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CustomAlert {
  @Required
  @Pattern(Patterns.ALERT_NAME)
  @Size(max = 63)
  @JsonPropertyDescription("Alert name, e.g. QueueBacklog.")
  private String name;

  @Required
  @Size(min = 1, max = 4096)
  @JsonPropertyDescription("PromQL expression; the alert fires while it returns a result.")
  private String expr;

  @JsonProperty("for")
  @Size(max = 20)
  @Pattern(Patterns.DURATION)
  @ValidationRule(
      value = Rules.IF_DURATION + "duration(self) <= duration('24h')",
      message = "must be at most 24h, e.g. 5m")
  @Default("5m")
  @JsonPropertyDescription("How long the expression must hold before the alert fires; at most 24h.")
  private String forDuration = "5m";

  @Default("warning")
  @JsonPropertyDescription("Severity label of the alert.")
  private Severity severity = Severity.WARNING;

  @Default("false")
  @JsonPropertyDescription(
      "When this alert fires during a release's verification window, roll the release back.")
  private Boolean rollback = false;

  @Size(max = 1024)
  @JsonPropertyDescription("One-line summary shown in notifications.")
  private String summary;
}
