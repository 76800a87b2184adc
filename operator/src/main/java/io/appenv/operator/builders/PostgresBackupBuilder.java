package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.DeletionPolicy;
import io.appenv.operator.api.LogicalBackupSpec;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.spec.Durations;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.Optional;

/**
 * The logical backup: a CronJob {@code <name>-backup} that runs backup.sh (pg_dump) as the owner
 * role onto a volume of its own, one run at a time, and the ConfigMap with the backup and restore
 * scripts (the restore runbook uses the same restore.sh).
 */
public final class PostgresBackupBuilder {
  public static final String BACKUP_SCRIPT = "backup.sh";
  public static final String RESTORE_SCRIPT = "restore.sh";
  // Read from the jar once: building the ConfigMap is part of every reconcile.
  private static final String BACKUP_SCRIPT_TEXT =
      PostgresInitScriptBuilder.load("/postgres/" + BACKUP_SCRIPT);
  private static final String RESTORE_SCRIPT_TEXT =
      PostgresInitScriptBuilder.load("/postgres/" + RESTORE_SCRIPT);

  private PostgresBackupBuilder() {}

  public static boolean isEnabled(AppEnvironment env) {
    BackupSpec backup = env.getSpec().getBackup();
    return Postgres.isEnabled(env)
        && backup != null
        && Optional.ofNullable(backup.getLogical()).map(LogicalBackupSpec::getEnabled).orElse(true);
  }

  public static ConfigMap scripts(AppEnvironment env) {
    return new ConfigMapBuilder()
        .withMetadata(Metadata.of(env, Names.backupScripts(env), Labels.COMPONENT_BACKUP))
        .addToData(BACKUP_SCRIPT, BACKUP_SCRIPT_TEXT)
        .addToData(RESTORE_SCRIPT, RESTORE_SCRIPT_TEXT)
        .build();
  }

  /**
   * The dumps are data too: like the database volume, they outlive the environment unless its
   * policy is Delete.
   */
  public static PersistentVolumeClaim volume(AppEnvironment env) {
    LogicalBackupSpec logical =
        Optional.ofNullable(env.getSpec().getBackup().getLogical())
            .orElseGet(LogicalBackupSpec::new);
    PersistentVolumeClaimBuilder claim =
        new PersistentVolumeClaimBuilder()
            .withMetadata(Metadata.of(env, Names.backupCronJob(env), Labels.COMPONENT_BACKUP))
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName(Postgres.spec(env).getStorageClassName())
            .withNewResources()
            .addToRequests("storage", new Quantity(logical.getStorage()))
            .endResources()
            .endSpec();
    if (Postgres.spec(env).getDeletionPolicy() == DeletionPolicy.Delete) {
      claim.editMetadata().withOwnerReferences(Owners.of(env)).endMetadata();
    }
    return claim.build();
  }

  /**
   * A one-off backup from the CronJob's own template, run before a release with migrations is
   * promoted.
   */
  public static Job preReleaseJob(AppEnvironment env, String image, String name) {
    return new JobBuilder()
        .withMetadata(Metadata.of(env, name, Labels.COMPONENT_BACKUP))
        .withSpec(
            new JobSpecBuilder(cronJob(env, image).getSpec().getJobTemplate().getSpec())
                .withTtlSecondsAfterFinished(7 * 24 * 3600)
                .build())
        .build();
  }

  public static CronJob cronJob(AppEnvironment env, String image) {
    BackupSpec backup = env.getSpec().getBackup();
    long retentionMinutes = Durations.parse(backup.getRetention()).toMinutes();
    String secret = Names.databaseCredentials(env);
    return new CronJobBuilder()
        .withMetadata(Metadata.of(env, Names.backupCronJob(env), Labels.COMPONENT_BACKUP))
        .withNewSpec()
        .withSchedule(backup.getSchedule())
        .withTimeZone("Etc/UTC")
        .withConcurrencyPolicy("Forbid")
        .withSuccessfulJobsHistoryLimit(3)
        .withFailedJobsHistoryLimit(3)
        .withStartingDeadlineSeconds(3600L)
        .withNewJobTemplate()
        // Each run's Job is found by `kubectl get jobs -l app.kubernetes.io/component=backup`; no
        // managed-by label: the runs are the CronJob's and stay out of the operator's Job caches.
        .withNewMetadata()
        .withLabels(Labels.selector(env, Labels.COMPONENT_BACKUP))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(2)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Labels.common(env, Labels.COMPONENT_BACKUP))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("OnFailure")
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(Postgres.podSecurityContext())
        .addNewContainer()
        .withName("pg-dump")
        .withImage(image)
        .withCommand("bash", "/scripts/" + BACKUP_SCRIPT)
        .addNewEnv()
        .withName("PGHOST")
        .withValue(Postgres.host(env))
        .endEnv()
        .addNewEnv()
        .withName("PGPORT")
        .withValue(String.valueOf(Postgres.PORT))
        .endEnv()
        .addNewEnv()
        .withName("PGDATABASE")
        .withValue(Postgres.databaseName(env))
        .endEnv()
        .addNewEnv()
        .withName("PGUSER")
        .withValue(Postgres.OWNER)
        .endEnv()
        .addToEnv(
            PostgresStatefulSetBuilder.fromSecret("PGPASSWORD", secret, Postgres.OWNER_PASSWORD))
        .addNewEnv()
        .withName("BACKUP_DIR")
        .withValue("/backups")
        .endEnv()
        .addNewEnv()
        .withName("RETENTION_MINUTES")
        .withValue(String.valueOf(retentionMinutes))
        .endEnv()
        .withSecurityContext(Postgres.containerSecurityContext())
        .addNewVolumeMount()
        .withName("scripts")
        .withMountPath("/scripts")
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("backups")
        .withMountPath("/backups")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("scripts")
        .withNewConfigMap()
        .withName(Names.backupScripts(env))
        .endConfigMap()
        .endVolume()
        .addNewVolume()
        .withName("backups")
        .withNewPersistentVolumeClaim()
        .withClaimName(Names.backupCronJob(env))
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .endJobTemplate()
        .endSpec()
        .build();
  }
}
