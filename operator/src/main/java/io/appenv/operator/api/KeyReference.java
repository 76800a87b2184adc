package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
public class KeyReference {
  @Required
  @Size(max = 253)
  @Pattern(Patterns.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret or ConfigMap in the AppEnvironment's namespace.")
  private String name;

  @Required
  @Size(max = 253)
  @Pattern(Patterns.CONFIG_KEY)
  @JsonPropertyDescription("Key inside it.")
  private String key;
}
