package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertsSpec {
  @JsonPropertyDescription(
      "Share of HTTP requests answered with 5xx, e.g. threshold \"0.05\". Absent uses the environment's default.")
  private PresetAlert errorRate;

  @JsonPropertyDescription(
      "95th percentile of HTTP request duration, threshold in seconds, e.g. \"0.5\". Absent uses the environment's default.")
  private PresetAlert latencyP95;

  @JsonPropertyDescription(
      "Container restarts within the alert's 'for' window, e.g. threshold \"3\". Absent uses the environment's default.")
  private PresetAlert podRestarts;

  @JsonPropertyDescription(
      "Replicas of the app that are not available, e.g. threshold \"0\". Absent uses the environment's default.")
  private PresetAlert replicasUnavailable;

  @JsonPropertyDescription(
      "The database has no ready replica; the threshold is not used. Only with spec.database.")
  private PresetAlert databaseDown;

  @JsonPropertyDescription(
      "The logical backup is stale (no success for two schedule periods) or its last run failed; the threshold is not used. Only with logical backups.")
  private PresetAlert backupFailing;

  @Size(max = 50)
  @ValidationRule(
      value = "self.all(a, self.exists_one(o, o.name == a.name))",
      message = "custom alert names must be unique")
  @JsonPropertyDescription("Custom alerts written in PromQL.")
  private List<CustomAlert> custom = new ArrayList<>();
}
