package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import lombok.Data;

@Data
public class VeleroBackupSpec {
  @Default("false")
  @JsonPropertyDescription("Create a Velero Schedule (needs Velero installed in the cluster).")
  private Boolean enabled = false;

  @Size(max = 63)
  @Pattern(Patterns.DNS_1123_LABEL)
  @Default("velero")
  @JsonPropertyDescription("Namespace where Velero runs and where the Schedule is created.")
  private String namespace = "velero";

  @Default("default")
  @JsonPropertyDescription("Velero BackupStorageLocation to write to.")
  private String storageLocation = "default";
}
