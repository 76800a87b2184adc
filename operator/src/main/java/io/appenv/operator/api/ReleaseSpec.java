package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
public class ReleaseSpec {
  @Default("BlueGreen")
  @JsonPropertyDescription(
      "BlueGreen runs the new release beside the old one and switches traffic when it is available; Rolling replaces Pods in place.")
  private ReleaseStrategy strategy = ReleaseStrategy.BlueGreen;

  @Default("true")
  @JsonPropertyDescription(
      "Switch traffic to a new release as soon as all its replicas are available. When false, promote by annotation.")
  private Boolean autoPromote = true;

  @Size(max = 20)
  @Pattern(Patterns.DURATION)
  @ValidationRule(
      value = Rules.IF_DURATION + "duration(self) <= duration('168h')",
      message = "must be at most 168h (7 days), e.g. 10m")
  @Default("10m")
  @JsonPropertyDescription(
      "How long the previous release stays scaled up after a promotion, ready for an instant rollback. At most 168h.")
  private String scaleDownDelay = "10m";

  @Size(max = 20)
  @Pattern(Patterns.DURATION)
  @ValidationRule(
      value =
          Rules.IF_DURATION
              + "duration(self) >= duration('1s') && duration(self) <= duration('24h')",
      message = "must be from 1s to 24h, e.g. 10m")
  @Default("10m")
  @JsonPropertyDescription(
      "A release whose replicas are not all available within this time fails; traffic stays where it was. From 1s to 24h.")
  private String progressDeadline = "10m";

  @Default("false")
  @JsonPropertyDescription(
      "The release changes the database schema: a backup runs and must succeed before it is promoted.")
  private Boolean migrations = false;

  @JsonPropertyDescription("When a release is rolled back automatically.")
  private RollbackSpec rollback = new RollbackSpec();
}
