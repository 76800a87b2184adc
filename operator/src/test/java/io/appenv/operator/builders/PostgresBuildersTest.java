package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.DeletionPolicy;
import io.appenv.operator.api.PostgresVersion;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresBuildersTest {

  private static AppEnvironment withDatabase(DeletionPolicy policy) {
    DatabaseSpec database = new DatabaseSpec();
    database.setVersion(PostgresVersion.V15);
    database.setStorage("5Gi");
    database.setStorageClassName("fast");
    database.setDeletionPolicy(policy);
    AppEnvironment env =
        TestEnvironments.rolling("shop-dev", "shop-api", spec -> spec.setDatabase(database));
    env.getMetadata().setUid("uid-1");
    return env;
  }

  private static Container postgres(StatefulSet statefulSet) {
    return statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void statefulSetRunsTheRequestedMajorOnAClaimOfTheRequestedSize() {
    StatefulSet db =
        PostgresStatefulSetBuilder.build(
            withDatabase(DeletionPolicy.Retain), PostgresImage.OFFICIAL.of("15"));

    assertThat(db.getMetadata().getName()).isEqualTo("shop-api-db");
    assertThat(db.getSpec().getServiceName()).isEqualTo("shop-api-db-hl");
    assertThat(postgres(db).getImage()).isEqualTo("docker.io/library/postgres:15");
    var claim = db.getSpec().getVolumeClaimTemplates().get(0);
    assertThat(claim.getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("5Gi"));
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
    assertThat(postgres(db).getReadinessProbe().getExec().getCommand()).startsWith("pg_isready");
  }

  @Test
  void retainKeepsTheClaimAfterDeletionAndDeleteRemovesIt() {
    assertThat(
            PostgresStatefulSetBuilder.build(
                    withDatabase(DeletionPolicy.Retain), PostgresImage.OFFICIAL.of("15"))
                .getSpec()
                .getPersistentVolumeClaimRetentionPolicy()
                .getWhenDeleted())
        .isEqualTo("Retain");
    assertThat(
            PostgresStatefulSetBuilder.build(
                    withDatabase(DeletionPolicy.Delete), PostgresImage.OFFICIAL.of("15"))
                .getSpec()
                .getPersistentVolumeClaimRetentionPolicy()
                .getWhenDeleted())
        .isEqualTo("Delete");
  }

  @Test
  void passwordsReachPostgresOnlyThroughSecretReferences() {
    StatefulSet db =
        PostgresStatefulSetBuilder.build(
            withDatabase(DeletionPolicy.Retain), PostgresImage.OFFICIAL.of("15"));

    assertThat(postgres(db).getEnv())
        .filteredOn(e -> e.getName().endsWith("PASSWORD"))
        .hasSize(4)
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("shop-api-db-credentials");
            });
  }

  @Test
  void credentialsAreOwnedByTheEnvironmentOnlyUnderDelete() {
    Map<String, String> passwords = Map.of(Postgres.APP_PASSWORD, "p");

    Secret retained =
        PostgresCredentialsBuilder.build(withDatabase(DeletionPolicy.Retain), passwords);
    Secret deleted =
        PostgresCredentialsBuilder.build(withDatabase(DeletionPolicy.Delete), passwords);

    assertThat(retained.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(deleted.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("uid-1"));
    assertThat(retained.getStringData())
        .containsEntry(Postgres.APP_PASSWORD, "p")
        .containsEntry("database", "shop_api")
        .containsEntry("jdbc-url", "jdbc:postgresql://shop-api-db:5432/shop_api");
  }

  @Test
  void theAppConnectsAsAppAndMigratesAsOwnerWithPasswordsFromTheSecret() {
    var container =
        AppDeploymentBuilder.build(withDatabase(DeletionPolicy.Retain))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);

    Map<String, EnvVar> env = new java.util.HashMap<>();
    container.getEnv().forEach(e -> env.put(e.getName(), e));
    assertThat(env.get("SPRING_DATASOURCE_URL").getValue())
        .isEqualTo("jdbc:postgresql://shop-api-db:5432/shop_api");
    assertThat(env.get("SPRING_DATASOURCE_USERNAME").getValue()).isEqualTo("app");
    assertThat(env.get("SPRING_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("app-password");
    assertThat(env.get("SPRING_FLYWAY_USER").getValue()).isEqualTo("owner");
    assertThat(env.values())
        .filteredOn(e -> e.getName().contains("PASSWORD"))
        .allSatisfy(e -> assertThat(e.getValue()).isNull());
  }

  @Test
  void headlessServiceHasNoClusterIpAndTheClientServiceHasOne() {
    AppEnvironment env = withDatabase(DeletionPolicy.Retain);

    assertThat(PostgresServiceBuilder.headless(env).getSpec().getClusterIP()).isEqualTo("None");
    assertThat(PostgresServiceBuilder.client(env).getSpec().getClusterIP()).isNull();
    assertThat(PostgresServiceBuilder.client(env).getSpec().getSelector())
        .isEqualTo(Labels.selector(env, Labels.COMPONENT_DATABASE));
  }

  @Test
  void onlyTheAppBackupsTheRolesJobAndPrometheusMayConnect() {
    AppEnvironment env = withDatabase(DeletionPolicy.Retain);

    var from = PostgresNetworkPolicyBuilder.build(env).getSpec().getIngress().get(0).getFrom();

    assertThat(from).hasSize(4);
    assertThat(from.get(0).getPodSelector().getMatchLabels())
        .containsEntry(Labels.COMPONENT, "app");
    assertThat(from.get(1).getPodSelector().getMatchLabels())
        .containsEntry(Labels.COMPONENT, "backup");
    assertThat(from.get(2).getPodSelector().getMatchLabels())
        .isEqualTo(Labels.selector(env, Labels.COMPONENT_DATABASE_ADMIN));
    assertThat(
            PostgresRolesJobBuilder.build(env, PostgresImage.OFFICIAL.of("16"), "uid-1")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels())
        .as("the roles Job's Pods match it")
        .containsAllEntriesOf(from.get(2).getPodSelector().getMatchLabels());
  }

  @Test
  void theRolesJobRunsTheRolesScriptAsSuperuserOncePerScriptAndSecret() {
    AppEnvironment env = withDatabase(DeletionPolicy.Retain);

    var job = PostgresRolesJobBuilder.build(env, PostgresImage.OFFICIAL.of("16"), "uid-1");

    assertThat(job.getMetadata().getOwnerReferences())
        .as("goes with the environment, whatever the deletion policy")
        .singleElement()
        .satisfies(owner -> assertThat(owner.getName()).isEqualTo(env.getMetadata().getName()));
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).endsWith("postgres:16");
    assertThat(container.getCommand()).containsExactly("bash", "/scripts/10-roles.sh");
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().endsWith("PASSWORD"))
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).as("no literal password").isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo(Names.databaseCredentials(env));
            });
    assertThat(container.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("PGPASSWORD"));
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName())
        .isEqualTo(Names.databaseInit(env));
    assertThat(job.getMetadata().getName())
        .startsWith("shop-api-db-roles-")
        .isEqualTo(PostgresRolesJobBuilder.name(env, "uid-1"))
        .as("a Secret created anew runs it again")
        .isNotEqualTo(PostgresRolesJobBuilder.name(env, "uid-2"));
  }

  @Test
  void theBackupCronJobDumpsAsOwnerOnTheScheduleOneRunAtATime() {
    AppEnvironment env = withDatabase(DeletionPolicy.Retain);
    io.appenv.operator.api.BackupSpec backup = new io.appenv.operator.api.BackupSpec();
    backup.setSchedule("0 3 * * *");
    backup.setRetention("72h");
    env.getSpec().setBackup(backup);

    var cronJob = PostgresBackupBuilder.cronJob(env, PostgresImage.OFFICIAL.of("15"));

    assertThat(PostgresBackupBuilder.isEnabled(env)).isTrue();
    assertThat(cronJob.getMetadata().getName()).isEqualTo("shop-api-backup");
    assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 3 * * *");
    assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
    assertThat(cronJob.getSpec().getJobTemplate().getMetadata().getLabels())
        .as("each run's Job is found by the backup component label")
        .containsEntry("app.kubernetes.io/component", "backup")
        .doesNotContainKey("app.kubernetes.io/managed-by");
    var container =
        cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("docker.io/library/postgres:15");
    assertThat(container.getCommand()).containsExactly("bash", "/scripts/backup.sh");
    Map<String, EnvVar> vars = new java.util.HashMap<>();
    container.getEnv().forEach(e -> vars.put(e.getName(), e));
    assertThat(vars.get("PGUSER").getValue()).isEqualTo("owner");
    assertThat(vars.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("owner-password");
    assertThat(vars.get("RETENTION_MINUTES").getValue()).isEqualTo("4320");
    Map<String, String> scripts = PostgresBackupBuilder.scripts(env).getData();
    assertThat(scripts).containsKeys("backup.sh", "restore.sh");
    assertThat(scripts.get("backup.sh")).contains("pg_dump");
    assertThat(scripts.get("restore.sh")).contains("pg_restore");
    assertThat(PostgresBackupBuilder.scripts(env).getData().get("backup.sh"))
        .as("read from the jar once, not in every reconcile")
        .isSameAs(scripts.get("backup.sh"));
  }

  @Test
  void theBackupVolumeFollowsTheDeletionPolicyAndNoBackupWithoutASpec() {
    AppEnvironment retained = withDatabase(DeletionPolicy.Retain);
    retained.getSpec().setBackup(new io.appenv.operator.api.BackupSpec());
    AppEnvironment deleted = withDatabase(DeletionPolicy.Delete);
    deleted.getSpec().setBackup(new io.appenv.operator.api.BackupSpec());

    assertThat(PostgresBackupBuilder.volume(retained).getMetadata().getOwnerReferences())
        .isNullOrEmpty();
    assertThat(PostgresBackupBuilder.volume(deleted).getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(PostgresBackupBuilder.isEnabled(withDatabase(DeletionPolicy.Retain))).isFalse();
  }

  @Test
  void withVeleroTheDatabasePodCheckpointsBeforeTheSnapshot() {
    AppEnvironment env = withDatabase(DeletionPolicy.Retain);
    assertThat(
            PostgresStatefulSetBuilder.build(env, PostgresImage.OFFICIAL.of("15"))
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .as("no Velero, no hook")
        .isNullOrEmpty();

    io.appenv.operator.api.BackupSpec backup = new io.appenv.operator.api.BackupSpec();
    backup.getVelero().setEnabled(true);
    env.getSpec().setBackup(backup);

    assertThat(
            PostgresStatefulSetBuilder.build(env, PostgresImage.OFFICIAL.of("15"))
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .containsEntry("pre.hook.backup.velero.io/container", "postgres")
        .hasEntrySatisfying(
            "pre.hook.backup.velero.io/command", c -> assertThat(c).contains("CHECKPOINT"));
  }

  @Test
  void theDatabasePodIsNotEvictedUnannounced() {
    var pdb = PostgresPodDisruptionBudgetBuilder.build(withDatabase(DeletionPolicy.Retain));

    assertThat(pdb.getMetadata().getName()).isEqualTo("shop-api-db");
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void aMajorVersionChangeKeepsTheRunningMajor() {
    AppEnvironment env = withDatabase(DeletionPolicy.Retain);
    StatefulSet running = PostgresStatefulSetBuilder.build(env, PostgresImage.OFFICIAL.of("14"));

    var state = io.appenv.operator.observe.DatabaseState.of(env, running);

    assertThat(state.majorChangeRefused()).isTrue();
    assertThat(PostgresImage.OFFICIAL.toRun(env, state.runningMajor()))
        .isEqualTo("docker.io/library/postgres:14");
    assertThat(PostgresImage.OFFICIAL.toRun(env, null)).isEqualTo("docker.io/library/postgres:15");
  }
}
