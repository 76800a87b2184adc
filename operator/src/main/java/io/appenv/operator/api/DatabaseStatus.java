package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseStatus {
  @JsonPropertyDescription("True when the database Pod is ready.")
  private Boolean ready;

  @JsonPropertyDescription(
      "Secret holding the generated credentials (never the values themselves).")
  private String secretName;
}
