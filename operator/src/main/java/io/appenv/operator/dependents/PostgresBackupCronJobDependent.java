package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.appenv.operator.informers.OwnFieldsItemStore;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The scheduled logical backup (pg_dump onto the backup volume). */
@KubernetesDependent(
    informer =
        @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = OwnFieldsItemStore.class))
public class PostgresBackupCronJobDependent extends RecordingDependent<CronJob> {
  public PostgresBackupCronJobDependent() {
    super(CronJob.class);
  }

  @Override
  protected CronJob desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresBackupBuilder.cronJob(primary, WorkflowInputs.of(context).postgresImage());
  }
}
