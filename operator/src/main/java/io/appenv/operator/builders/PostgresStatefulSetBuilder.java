package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.DeletionPolicy;
import io.appenv.operator.api.VeleroBackupSpec;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment's PostgreSQL: one Pod with a data volume from the claim template. With the Retain
 * deletion policy the claim outlives the StatefulSet, and a new StatefulSet of the same name (a
 * re-created AppEnvironment) mounts it again, data included.
 */
public final class PostgresStatefulSetBuilder {
  public static final String CONTAINER = "postgres";
  public static final String DATA_VOLUME = "data";
  static final String DATA_DIR = "/var/lib/postgresql/data";

  private PostgresStatefulSetBuilder() {}

  /**
   * @param image the postgres image of the major version to run: the spec's, or the one already
   *     running when the spec asks for another (a major upgrade needs a dump and restore, so it is
   *     refused)
   */
  public static StatefulSet build(AppEnvironment env, String image) {
    DatabaseSpec spec = Postgres.spec(env);
    var selector = Labels.selector(env, Labels.COMPONENT_DATABASE);
    return new StatefulSetBuilder()
        .withMetadata(Metadata.of(env, Names.database(env), Labels.COMPONENT_DATABASE))
        .withNewSpec()
        .withReplicas(1)
        .withServiceName(Names.databaseHeadless(env))
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted(spec.getDeletionPolicy() == DeletionPolicy.Delete ? "Delete" : "Retain")
        .withWhenScaled("Retain")
        .endPersistentVolumeClaimRetentionPolicy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Labels.common(env, Labels.COMPONENT_DATABASE))
        .withAnnotations(veleroHooks(env))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(Postgres.podSecurityContext())
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(image)
        .addNewPort()
        .withName("postgres")
        .withContainerPort(Postgres.PORT)
        .endPort()
        .withEnv(env(env))
        .withResources(AppPodTemplateBuilder.resources(spec.getResources()))
        .withReadinessProbe(pgIsReady(5))
        .withLivenessProbe(pgIsReady(30))
        .withSecurityContext(Postgres.containerSecurityContext())
        .addNewVolumeMount()
        .withName(DATA_VOLUME)
        .withMountPath(DATA_DIR)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("init")
        .withMountPath("/docker-entrypoint-initdb.d")
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("init")
        .withNewConfigMap()
        .withName(Names.databaseInit(env))
        .endConfigMap()
        .endVolume()
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(claim(env, spec))
        .endSpec()
        .build();
  }

  /**
   * With Velero, a CHECKPOINT just before the volume snapshot flushes everything to disk, so the
   * snapshot restores without crash recovery. Null without Velero, so the template stays as it was.
   */
  static Map<String, String> veleroHooks(AppEnvironment env) {
    boolean velero =
        Optional.ofNullable(env.getSpec().getBackup())
            .map(BackupSpec::getVelero)
            .map(VeleroBackupSpec::getEnabled)
            .orElse(false);
    if (!velero) {
      return null;
    }
    return Map.of(
        "pre.hook.backup.velero.io/container", CONTAINER,
        "pre.hook.backup.velero.io/command",
            "[\"/bin/bash\", \"-c\", \"psql -U postgres -h 127.0.0.1 -c CHECKPOINT\"]",
        "pre.hook.backup.velero.io/timeout", "60s");
  }

  private static PersistentVolumeClaim claim(AppEnvironment env, DatabaseSpec spec) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(DATA_VOLUME)
        .withLabels(Labels.common(env, Labels.COMPONENT_DATABASE))
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(spec.getStorageClassName())
        .withNewResources()
        .addToRequests("storage", new Quantity(spec.getStorage()))
        .endResources()
        .endSpec()
        .build();
  }

  private static List<EnvVar> env(AppEnvironment env) {
    String secret = Names.databaseCredentials(env);
    return List.of(
        new EnvVarBuilder().withName("POSTGRES_DB").withValue(Postgres.databaseName(env)).build(),
        new EnvVarBuilder().withName("PGDATA").withValue(DATA_DIR + "/pgdata").build(),
        fromSecret("POSTGRES_PASSWORD", secret, Postgres.SUPERUSER_PASSWORD),
        fromSecret("OWNER_PASSWORD", secret, Postgres.OWNER_PASSWORD),
        fromSecret("APP_PASSWORD", secret, Postgres.APP_PASSWORD),
        fromSecret("READONLY_PASSWORD", secret, Postgres.READONLY_PASSWORD));
  }

  static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static Probe pgIsReady(int periodSeconds) {
    return new ProbeBuilder()
        .withNewExec()
        .withCommand("pg_isready", "-U", "postgres", "-h", "127.0.0.1")
        .endExec()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(5)
        .withFailureThreshold(6)
        .build();
  }
}
