package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
public class LogicalBackupSpec {
  @Default("true")
  @JsonPropertyDescription("Run a pg_dump CronJob on the backup schedule.")
  private Boolean enabled = true;

  @Size(max = 32)
  @Pattern(Patterns.QUANTITY)
  @ValidationRule(value = Rules.VOLUME_SIZE, message = Rules.VOLUME_SIZE_MESSAGE)
  @Default("20Gi")
  @JsonPropertyDescription("Size of the volume that holds the dumps.")
  private String storage = "20Gi";
}
