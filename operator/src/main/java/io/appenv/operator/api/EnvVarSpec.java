package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
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
        "[has(self.value), has(self.secretKeyRef), has(self.configMapKeyRef)].filter(x, x).size() == 1",
    message = "set exactly one of value, secretKeyRef or configMapKeyRef")
@ValidationRule(
    value =
        "!has(self.value) || !self.name.matches('(?i).*(PASSWORD|SECRET|TOKEN|API_?KEY|CREDENTIAL).*')",
    message = "this variable looks like a secret: use secretKeyRef instead of a literal value",
    reason = "FieldValueForbidden",
    fieldPath = ".value")
public class EnvVarSpec {
  @Required
  @Size(max = 128)
  @Pattern(Patterns.ENV_NAME)
  @JsonPropertyDescription("Variable name.")
  private String name;

  @Size(max = 4096)
  @JsonPropertyDescription(
      "Literal value. Not for secrets: names that look like passwords, tokens or keys are refused.")
  private String value;

  @JsonPropertyDescription("Take the value from a key of a Secret in the same namespace.")
  private KeyReference secretKeyRef;

  @JsonPropertyDescription("Take the value from a key of a ConfigMap in the same namespace.")
  private KeyReference configMapKeyRef;

  public static EnvVarSpec literal(String name, String value) {
    return new EnvVarSpec(name, value, null, null);
  }

  public static EnvVarSpec fromSecret(String name, String secret, String key) {
    return new EnvVarSpec(name, null, new KeyReference(secret, key), null);
  }
}
