package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseRef {
  @JsonPropertyDescription("Release number, increasing by one per release.")
  private Long revision;

  @JsonPropertyDescription("Image of the release.")
  private String image;

  @JsonPropertyDescription("When traffic was switched to it (RFC 3339).")
  private String promotedAt;

  @JsonPropertyDescription("Hash of its pod template, which changes with image or configuration.")
  private String templateHash;

  @JsonPropertyDescription("Colour (blue or green) whose Deployment runs it.")
  private String color;
}
