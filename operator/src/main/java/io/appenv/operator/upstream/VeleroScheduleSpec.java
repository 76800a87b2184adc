package io.appenv.operator.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VeleroScheduleSpec {
  private String schedule;
  private Boolean useOwnerReferencesInBackup;
  private Template template;

  /** The Backup each run creates. */
  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Template {
    private List<String> includedNamespaces;
    private LabelSelector labelSelector;
    private String ttl;
    private String storageLocation;
    private Boolean snapshotVolumes;
  }
}
