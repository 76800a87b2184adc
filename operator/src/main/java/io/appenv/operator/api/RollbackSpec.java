package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
public class RollbackSpec {
  @JsonPropertyDescription(
      "Roll back when an alert of the release with appenv_rollback=\"true\" fires (Alertmanager webhook)."
          + " Unset means on for BlueGreen; a Rolling release has no warm previous release to go back to.")
  private Boolean onAlerts;

  @Default("critical")
  @JsonPropertyDescription("Least severity of an alert that triggers a rollback.")
  private Severity minSeverity = Severity.CRITICAL;

  @Min(0)
  @Max(60)
  @Default("3")
  @JsonPropertyDescription(
      "Safety limit: at most this many automatic rollbacks per hour; later alerts are only logged.")
  private Integer maxPerHour = 3;

  @Size(max = 20)
  @Pattern(Patterns.DURATION)
  @ValidationRule(
      value =
          Rules.IF_DURATION
              + "duration(self) >= duration('1s') && duration(self) <= duration('168h')",
      message =
          "must be from 1s to 168h (7 days), e.g. 30m; to turn rollbacks off, set onAlerts to false")
  @Default("30m")
  @JsonPropertyDescription(
      "Alerts roll back a release only while it is younger than this (its verification window). From 1s to 168h.")
  private String verificationWindow = "30m";
}
