package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    message =
        "database storageClassName cannot change once the database exists (volume claims are immutable)",
    reason = "FieldValueForbidden",
    fieldPath = ".storageClassName")
public class DatabaseSpec {
  @Default("postgresql")
  @ValidationRule(value = "self == oldSelf", message = "database engine cannot be changed")
  @JsonPropertyDescription("Database engine. Only postgresql.")
  private DatabaseEngine engine = DatabaseEngine.POSTGRESQL;

  @Default("\"17\"")
  @JsonPropertyDescription(
      "PostgreSQL major version. A change of major version is refused: it needs a dump and restore.")
  private PostgresVersion version = PostgresVersion.V17;

  @Size(max = 32)
  @Pattern(Patterns.QUANTITY)
  @ValidationRule(value = Rules.VOLUME_SIZE, message = Rules.VOLUME_SIZE_MESSAGE)
  @Default("10Gi")
  @ValidationRule(
      value = "quantity(self).compareTo(quantity(oldSelf)) >= 0",
      message = "database storage may grow but never shrink",
      reason = "FieldValueForbidden")
  @JsonPropertyDescription("Size of the data volume, e.g. 10Gi. May grow, never shrink.")
  private String storage = "10Gi";

  @Size(max = 253)
  @Pattern(Patterns.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("StorageClass of the data volume. Empty means the cluster's default.")
  private String storageClassName;

  @Default("Retain")
  @JsonPropertyDescription(
      "What happens to the data volume when the AppEnvironment is deleted: Retain keeps it (a new AppEnvironment of the same name adopts it), Delete removes it.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @JsonPropertyDescription("CPU and memory requests and limits of the database container.")
  private ResourcesSpec resources;
}
