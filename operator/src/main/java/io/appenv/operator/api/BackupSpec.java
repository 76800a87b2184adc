package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import lombok.Data;

@Data
public class BackupSpec {
  @Pattern(Patterns.CRON)
  @Default("0 2 * * *")
  @JsonPropertyDescription("Cron schedule (UTC) of the backups, e.g. \"0 2 * * *\".")
  private String schedule = "0 2 * * *";

  @Pattern(Patterns.DURATION)
  @Default("168h")
  @JsonPropertyDescription("How long backups are kept, e.g. 168h. Older ones are pruned.")
  private String retention = "168h";

  @JsonPropertyDescription("Velero Schedule of the namespace, with volume snapshots.")
  private VeleroBackupSpec velero = new VeleroBackupSpec();

  @JsonPropertyDescription("Logical pg_dump CronJob of the database.")
  private LogicalBackupSpec logical = new LogicalBackupSpec();
}
