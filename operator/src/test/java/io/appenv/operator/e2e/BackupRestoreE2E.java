package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The prod sample's logical backup for real, on the container-running node: the backup CronJob's
 * Job dumps the running database onto its volume, and `make restore` (hack/restore.sh) restores the
 * latest dump into a scratch database, where every table's row count and a checksum over its rows
 * equal the source's.
 */
@Tag("e2e")
// After RealNodeE2E, on the cluster it leaves running; before MonitoringE2E (see RealNodeE2E).
@Order(Order.DEFAULT + 3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreE2E {
  private static final String NS = "telemetry-prod";
  private static final String NAME = "telemetry";
  private static final List<String> TABLES = List.of("device", "reading");
  private static KubernetesClient client;

  @BeforeAll
  static void cluster() {
    client = RealNodeCluster.client();
  }

  @Test
  @Order(1)
  void theBackupCronJobsJobDumpsTheRunningDatabase() {
    // 500 readings of a device of its own, beside whatever the app took in before.
    psql(
        database(),
        "INSERT INTO device (device_id) VALUES ('backup-e2e') ON CONFLICT DO NOTHING;"
            + " INSERT INTO reading SELECT 'backup-e2e', now() - g * interval '1 minute', 'temp', g"
            + " FROM generate_series(1, 500) g ON CONFLICT DO NOTHING");
    CronJob cronJob =
        client.batch().v1().cronjobs().inNamespace(NS).withName(NAME + "-backup").get();
    assertThat(cronJob).as("prod's logical backup CronJob").isNotNull();
    // What `kubectl create job --from=cronjob/...` does: the CronJob's template, run now.
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(NAME + "-backup-e2e")
            .withNamespace(NS)
            .withLabels(cronJob.getSpec().getJobTemplate().getMetadata().getLabels())
            .endMetadata()
            .withSpec(cronJob.getSpec().getJobTemplate().getSpec())
            .build();
    client.resource(job).create();
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              Job current = client.resource(job).get();
              Integer failed = current.getStatus() == null ? null : current.getStatus().getFailed();
              assertThat(failed).as("failed pods of the backup Job").isNull();
              return current.getStatus() != null
                  && Integer.valueOf(1).equals(current.getStatus().getSucceeded());
            });
    String log =
        client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).getLog();
    // backup.sh reports the dump it wrote and checked (pg_restore --list) on the backup volume.
    assertThat(log)
        .as("the backup's own report")
        .containsPattern("backup /backups/\\S+ [1-9][0-9]* bytes");
  }

  @Test
  @Order(2)
  void makeRestoreBringsBackEveryRowIntoAScratchDatabase() throws Exception {
    String database = database();
    assertThat(count(database, "reading")).as("rows to restore").isGreaterThanOrEqualTo(500);

    ProcessBuilder command =
        new ProcessBuilder(
                "bash",
                RealNodeCluster.root().resolve("hack/restore.sh").toString(),
                NS,
                NAME,
                "latest",
                "restore_check")
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target", "backup-restore-e2e.log").toFile());
    command.environment().put("KUBECONFIG", RealNodeCluster.kubeconfig().toString());
    Process restore = command.start();
    restore.getOutputStream().close();
    assertThat(restore.waitFor(6, TimeUnit.MINUTES)).as("make restore within 6 min").isTrue();
    assertThat(restore.exitValue()).as("make restore (target/backup-restore-e2e.log)").isZero();

    for (String table : TABLES) {
      assertThat(fingerprint("restore_check", table))
          .as(table + ": row count and checksum over every row")
          .isEqualTo(fingerprint(database, table));
    }
  }

  /** The environment's one database: the only one besides PostgreSQL's own and the scratch one. */
  private static String database() {
    String databases =
        psql(
                "postgres",
                "select datname from pg_database where datname not in"
                    + " ('postgres', 'template0', 'template1', 'restore_check')")
            .trim();
    assertThat(databases).as("the environment's one database").isNotBlank().doesNotContain("\n");
    return databases;
  }

  private static long count(String database, String table) {
    return Long.parseLong(psql(database, "select count(*) from " + table).trim());
  }

  /** Row count and an md5 over the rows in a fixed order: equal only when every row is. */
  private static String fingerprint(String database, String table) {
    return psql(
        database,
        "select count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' order by t::text), ''))"
            + " from "
            + table
            + " t");
  }

  private static String psql(String database, String sql) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (var watch =
        client
            .pods()
            .inNamespace(NS)
            .withName(NAME + "-db-0")
            .inContainer("postgres")
            .writingOutput(out)
            .writingError(err)
            .exec("psql", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", sql)) {
      int exit = watch.exitCode().get(60, TimeUnit.SECONDS);
      assertThat(exit).as("psql " + sql + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
    } catch (Exception e) {
      throw new IllegalStateException("psql in " + NAME + "-db-0: " + sql, e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
