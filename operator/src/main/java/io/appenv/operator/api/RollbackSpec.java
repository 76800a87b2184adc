package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import lombok.Data;

@Data
public class RollbackSpec {
  @JsonPropertyDescription("Roll back when an alert of the release with appenv_rollback=\"true\" fires (Alertmanager webhook)."
      + " Unset means on for BlueGreen; a Rolling release has no warm previous release to go back to.")
  private Boolean onAlerts;

  @Default("critical")
  @JsonPropertyDescription("Least severity of an alert that triggers a rollback.")
  private Severity minSeverity = Severity.CRITICAL;

  @Min(0)
  @Max(60)
  @Default("3")
  @JsonPropertyDescription("Safety limit: at most this many automatic rollbacks per hour; later alerts are only logged.")
  private Integer maxPerHour = 3;

  @Pattern(Patterns.DURATION)
  @Default("30m")
  @JsonPropertyDescription("Alerts roll back a release only while it is younger than this (its verification window).")
  private String verificationWindow = "30m";
}
