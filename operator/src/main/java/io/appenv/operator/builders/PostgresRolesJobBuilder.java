package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.names.ShortHash;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/**
 * A Job that runs the roles script against the running database, as the superuser. The image runs
 * the script on a new volume only; this Job also applies it to a volume that already has data:
 * after an operator upgrade changes the roles, or after the credentials Secret was created anew
 * (the script sets the passwords from it). Its name carries a hash of the script and of the
 * Secret's uid, so it runs once for each of those, and never again for the same pair.
 */
public final class PostgresRolesJobBuilder {
  private PostgresRolesJobBuilder() {}

  public static String name(AppEnvironment env, String credentialsUid) {
    return Names.database(env)
        + "-roles-"
        + ShortHash.of(PostgresInitScriptBuilder.ROLES_SCRIPT + "\n" + credentialsUid);
  }

  public static Job build(AppEnvironment env, String image, String credentialsUid) {
    String secret = Names.databaseCredentials(env);
    return new JobBuilder()
        // Owned, so it goes with the environment; JOSDK never
        // deletes it on its own (a Creator only).
        .withMetadata(
            new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(
                    Metadata.of(env, name(env, credentialsUid), Labels.COMPONENT_DATABASE_ADMIN))
                .withOwnerReferences(Owners.of(env))
                .build())
        .withNewSpec()
        .withBackoffLimit(6)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Labels.common(env, Labels.COMPONENT_DATABASE_ADMIN))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("OnFailure")
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(Postgres.podSecurityContext())
        .addNewContainer()
        .withName("roles")
        .withImage(image)
        .withCommand("bash", "/scripts/" + PostgresInitScriptBuilder.SCRIPT)
        .addNewEnv()
        .withName("PGHOST")
        .withValue(Postgres.host(env))
        .endEnv()
        .addNewEnv()
        .withName("PGPORT")
        .withValue(String.valueOf(Postgres.PORT))
        .endEnv()
        .addNewEnv()
        .withName("POSTGRES_DB")
        .withValue(Postgres.databaseName(env))
        .endEnv()
        .addToEnv(
            PostgresStatefulSetBuilder.fromSecret(
                "PGPASSWORD", secret, Postgres.SUPERUSER_PASSWORD))
        .addToEnv(
            PostgresStatefulSetBuilder.fromSecret(
                "OWNER_PASSWORD", secret, Postgres.OWNER_PASSWORD))
        .addToEnv(
            PostgresStatefulSetBuilder.fromSecret("APP_PASSWORD", secret, Postgres.APP_PASSWORD))
        .addToEnv(
            PostgresStatefulSetBuilder.fromSecret(
                "READONLY_PASSWORD", secret, Postgres.READONLY_PASSWORD))
        .withSecurityContext(Postgres.containerSecurityContext())
        .addNewVolumeMount()
        .withName("scripts")
        .withMountPath("/scripts")
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("scripts")
        .withNewConfigMap()
        .withName(Names.databaseInit(env))
        .endConfigMap()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
