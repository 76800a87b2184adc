package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One application environment (dev, staging, prod): app, database, backups and monitoring. */
@JsonClassDescription(
    "An application environment (dev, staging, prod): the app with blue/green releases and automatic rollback,"
        + " its PostgreSQL database, backups and monitoring, reconciled by the appenv operator.")
@Group(AppEnvironment.GROUP)
@Version(AppEnvironment.VERSION)
@ShortNames("appenv")
@AdditionalPrinterColumn(
    name = "Environment",
    jsonPath = ".spec.environment",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Image",
    jsonPath = ".spec.app.image",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Color",
    jsonPath = ".status.activeColor",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// On create only (a name never changes): an environment created before these rules keeps working.
@ValidationRule(
    value = "oldSelf.hasValue() || self.metadata.name.matches(r'" + Patterns.DNS_1035_LABEL + "')",
    optionalOldSelf = true,
    message =
        "metadata.name must start with a letter and hold only lowercase letters, digits and '-'"
            + " (the Services appenv creates take this name): choose another name")
@ValidationRule(
    value = "oldSelf.hasValue() || size(self.metadata.name) <= " + AppEnvironment.MAX_NAME_LENGTH,
    optionalOldSelf = true,
    message =
        "metadata.name may have at most "
            + AppEnvironment.MAX_NAME_LENGTH
            + " characters: appenv names"
            + " objects after it, such as the Job <name>-db-roles-<hash>, and those must fit 63; choose a shorter name")
public class AppEnvironment extends CustomResource<AppEnvironmentSpec, AppEnvironmentStatus>
    implements Namespaced {
  public static final String GROUP = "platform.appenv.io";
  public static final String VERSION = "v1alpha1";

  /**
   * The longest derived name is the roles Job's, 19 characters more ({@code -db-roles-} and a
   * 10-digit hash), and a Job's name must fit a label value (63); 40 leaves the pre-release backup
   * Job ({@code <name>-prerelease-<revision>}) room for revisions of up to 11 digits.
   */
  public static final int MAX_NAME_LENGTH = 40;

  @Override
  @JsonPropertyDescription(
      "Desired state of the environment. Written by people and GitOps; never by the operator.")
  public AppEnvironmentSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state, written by the operator: conditions, phase, releases, database and backups.")
  public AppEnvironmentStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected AppEnvironmentStatus initStatus() {
    return new AppEnvironmentStatus();
  }
}
