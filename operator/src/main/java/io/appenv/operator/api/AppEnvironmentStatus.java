package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppEnvironmentStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Summary of the conditions: Pending, Progressing, Ready, Degraded or RolledBack.")
  private Phase phase;

  @JsonPropertyDescription(
      "Ready, Progressing, Degraded, MonitoringInstalled and AlertsInstalled; DatabaseReady, BackupHealthy and VeleroScheduleInstalled with their features (Kubernetes condition conventions).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Colour (blue or green) whose Pods the main Service sends traffic to.")
  private String activeColor;

  @JsonPropertyDescription("The release serving traffic.")
  private ReleaseRef activeRelease;

  @JsonPropertyDescription("The last good release before the active one: the rollback target.")
  private ReleaseRef previousRelease;

  @JsonPropertyDescription(
      "Images that were rolled back; not promoted again until spec.app.image changes to another image.")
  private List<String> rejectedImages = new ArrayList<>();

  @JsonPropertyDescription("Most recent releases, newest first (bounded).")
  private List<ReleaseRecord> history = new ArrayList<>();

  @JsonPropertyDescription("State of the database.")
  private DatabaseStatus database;

  @JsonPropertyDescription("State of the backups.")
  private BackupStatus backup;
}
