package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStatus {
  @JsonPropertyDescription("When the last backup succeeded (RFC 3339).")
  private String lastSuccessfulTime;

  @JsonPropertyDescription("True when the last success is older than twice the schedule period.")
  private Boolean stale;
}
