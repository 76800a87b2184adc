package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The scheduled logical backup (pg_dump onto the backup volume). */
public class PostgresBackupCronJobDependent extends RecordingDependent<CronJob> {
  public PostgresBackupCronJobDependent() {
    super(CronJob.class);
  }

  @Override
  protected CronJob desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresBackupBuilder.cronJob(primary, WorkflowInputs.of(context).postgresImage());
  }
}
