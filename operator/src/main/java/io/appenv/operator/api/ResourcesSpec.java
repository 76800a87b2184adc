package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.requests) || !has(self.limits) || !has(self.requests.cpu) || !has(self.limits.cpu) || quantity(self.requests.cpu).compareTo(quantity(self.limits.cpu)) <= 0",
    message = "requests.cpu must not exceed limits.cpu",
    fieldPath = ".requests.cpu",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.requests) || !has(self.limits) || !has(self.requests.memory) || !has(self.limits.memory) || quantity(self.requests.memory).compareTo(quantity(self.limits.memory)) <= 0",
    message = "requests.memory must not exceed limits.memory",
    fieldPath = ".requests.memory",
    reason = "FieldValueInvalid")
public class ResourcesSpec {
  @JsonPropertyDescription("Resources the scheduler reserves for the container.")
  private ComputeResources requests;

  @JsonPropertyDescription(
      "Most the container may use: CPU is throttled above it, memory above it kills the container.")
  private ComputeResources limits;
}
