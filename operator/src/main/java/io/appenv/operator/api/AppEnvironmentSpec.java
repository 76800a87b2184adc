package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.environment != 'prod' || !self.app.image.endsWith(':latest')",
    message = "prod environments must pin spec.app.image to a version or digest, not ':latest'",
    reason = "FieldValueForbidden",
    fieldPath = ".app.image")
@ValidationRule(
    value =
        "!has(self.backup) || has(self.database) || (has(self.backup.logical) && has(self.backup.logical.enabled) && !self.backup.logical.enabled)",
    message =
        "spec.backup.logical needs spec.database: add a database or set spec.backup.logical.enabled to false",
    reason = "FieldValueRequired",
    fieldPath = ".backup")
@ValidationRule(
    value =
        "!has(self.release) || !has(self.release.strategy) || self.release.strategy == 'BlueGreen' || !has(self.release.rollback) || !has(self.release.rollback.onAlerts) || !self.release.rollback.onAlerts",
    message =
        "automatic rollback on alerts needs release.strategy BlueGreen (a Rolling release keeps no warm previous release): set release.rollback.onAlerts to false",
    reason = "FieldValueInvalid",
    fieldPath = ".release.rollback.onAlerts")
public class AppEnvironmentSpec {

  @Required
  @JsonPropertyDescription(
      "Kind of environment. Picks defaults: replicas (dev 1, staging 2, prod 3) and how strict alerts are.")
  private EnvironmentType environment;

  @Required
  @JsonPropertyDescription(
      "The application workload: image, replicas, port, environment variables, resources and probes.")
  private AppSpec app;

  @JsonPropertyDescription(
      "How a change of image or configuration is released (blue/green or rolling) and when it is rolled back.")
  private ReleaseSpec release;

  @JsonPropertyDescription("The environment's PostgreSQL database. Absent means no database.")
  private DatabaseSpec database;

  @JsonPropertyDescription(
      "Backups: logical pg_dump CronJob and Velero schedule. Absent means no backups.")
  private BackupSpec backup;

  @JsonPropertyDescription(
      "Alert rules and scraping for the app. Absent means the presets with the environment's defaults.")
  private MonitoringSpec monitoring;

  @JsonPropertyDescription("Who may reach the app. The NetworkPolicy denies all other ingress.")
  private NetworkSpec network;
}
