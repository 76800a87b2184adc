package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
public class BackupSpec {
  @Size(max = 128)
  @ValidationRule(value = Rules.CRON, message = Rules.CRON_MESSAGE)
  @Default("0 2 * * *")
  @JsonPropertyDescription("Cron schedule (UTC) of the backups, e.g. \"0 2 * * *\".")
  private String schedule = "0 2 * * *";

  @Size(max = 20)
  @Pattern(Patterns.DURATION)
  @ValidationRule(
      value =
          Rules.IF_DURATION
              + "duration(self) >= duration('1h') && duration(self) <= duration('87600h')",
      message = "must be from 1h to 87600h (10 years), e.g. 168h")
  @Default("168h")
  @JsonPropertyDescription(
      "How long backups are kept, e.g. 168h. Older ones are pruned. From 1h to 87600h.")
  private String retention = "168h";

  @JsonPropertyDescription("Velero Schedule of the namespace, with volume snapshots.")
  private VeleroBackupSpec velero = new VeleroBackupSpec();

  @JsonPropertyDescription("Logical pg_dump CronJob of the database.")
  private LogicalBackupSpec logical = new LogicalBackupSpec();
}
