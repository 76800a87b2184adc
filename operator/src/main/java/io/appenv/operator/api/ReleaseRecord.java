package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseRecord {
  @JsonPropertyDescription("Release number.")
  private Long revision;

  @JsonPropertyDescription("Image of the release.")
  private String image;

  @JsonPropertyDescription("Colour (blue or green) whose Deployment runs the release.")
  private String color;

  @JsonPropertyDescription("Hash of the pod template, which changes with image or configuration.")
  private String templateHash;

  @JsonPropertyDescription("When the release started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription(
      "Commit time CI gave in the platform.appenv.io/commit-timestamp annotation when the release started; lead time counts from it.")
  private String commitTime;

  @JsonPropertyDescription("When all its replicas were available.")
  private String readyAt;

  @JsonPropertyDescription("When traffic was switched to it.")
  private String promotedAt;

  @JsonPropertyDescription(
      "Progressing, Succeeded, Failed, Superseded (replaced before promotion) or RolledBack.")
  private String result;

  @JsonPropertyDescription("Why it ended that way, e.g. the alert that rolled it back.")
  private String reason;

  @JsonPropertyDescription(
      "The backup Job that ran before this release was promoted (release.migrations).")
  private String preReleaseBackup;

  @JsonPropertyDescription(
      "When traffic went back to the previous release (RFC 3339). Unset while a previous release that was scaled down starts again.")
  private String rolledBackAt;

  @JsonPropertyDescription("When the alert that rolled it back started firing (RFC 3339).")
  private String alertStartedAt;

  @JsonPropertyDescription(
      "Seconds from the start of the alert that rolled it back to the switch of traffic.")
  private Double timeToRestoreSeconds;
}
