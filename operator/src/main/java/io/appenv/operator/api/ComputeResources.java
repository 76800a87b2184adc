package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComputeResources {
  @Size(max = 32)
  @Pattern(Patterns.RESOURCE_QUANTITY)
  @ValidationRule(value = Rules.POSITIVE_QUANTITY, message = Rules.POSITIVE_QUANTITY_MESSAGE)
  @JsonPropertyDescription("CPU as a Kubernetes quantity, e.g. 500m or 2.")
  private String cpu;

  @Size(max = 32)
  @Pattern(Patterns.RESOURCE_QUANTITY)
  @ValidationRule(value = Rules.POSITIVE_QUANTITY, message = Rules.POSITIVE_QUANTITY_MESSAGE)
  @JsonPropertyDescription("Memory as a Kubernetes quantity, e.g. 512Mi.")
  private String memory;
}
