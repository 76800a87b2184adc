package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.ReleaseRecord;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * equal the source's. A release with migrations runs its own backup Job first and moves traffic
 * only once that dump is written.
 */
@Tag("e2e")
// After RealNodeE2E, on the cluster it leaves running; before MonitoringE2E (see RealNodeE2E).
@Order(Order.DEFAULT + 5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreE2E {
  private static final String NS = "telemetry-prod";
  private static final String NAME = "telemetry";
  private static final List<String> TABLES = List.of("device", "reading");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
    // Complete or Failed, whichever comes first; either way not within 5 min says why.
    Job ended;
    try {
      ended =
          client
              .resource(job)
              .waitUntilCondition(
                  j -> j != null && (hasCondition(j, "Complete") || hasCondition(j, "Failed")),
                  5,
                  TimeUnit.MINUTES);
    } catch (KubernetesClientTimeoutException e) {
      throw new AssertionError(
          "backup Job not done in 5 min:"
              + RealNodeCluster.describePods(NS, "job-name", job.getMetadata().getName()),
          e);
    }
    assertThat(hasCondition(ended, "Complete"))
        .as(
            "backup Job completed:"
                + RealNodeCluster.describePods(NS, "job-name", job.getMetadata().getName()))
        .isTrue();
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

  @Test
  @Order(3)
  void aReleaseWithMigrationsIsPromotedOnlyAfterItsBackupDumped() {
    AppEnvironment env =
        client.resources(AppEnvironment.class).inNamespace(NS).withName(NAME).get();
    long before = env.getStatus().getActiveRelease().getRevision();
    // A release that may change the schema: the same image with one more variable, migrations on.
    env.getSpec().getRelease().setMigrations(true);
    List<EnvVarSpec> vars = new ArrayList<>(env.getSpec().getApp().getEnv());
    vars.add(EnvVarSpec.literal("BACKUP_E2E_RELEASE", "with-migrations"));
    env.getSpec().getApp().setEnv(vars);
    RealNodeCluster.applyAs("backup-restore-e2e", env);

    AppEnvironment promoted =
        await()
            .atMost(Duration.ofMinutes(8))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () -> client.resources(AppEnvironment.class).inNamespace(NS).withName(NAME).get(),
                now -> now.getStatus().getActiveRelease().getRevision() > before);
    ReleaseRecord record = promoted.getStatus().getHistory().get(0);
    assertThat(record.getPreReleaseBackup()).as("the release's backup Job").isNotBlank();
    Job backup =
        client.batch().v1().jobs().inNamespace(NS).withName(record.getPreReleaseBackup()).get();
    assertThat(backup.getStatus().getSucceeded()).as("pre-release backup succeeded").isEqualTo(1);
    assertThat(Instant.parse(backup.getStatus().getCompletionTime()))
        .as("the dump was complete before traffic moved")
        .isBeforeOrEqualTo(Instant.parse(record.getPromotedAt()));
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withName(backup.getMetadata().getName())
                .getLog())
        .containsPattern("backup /backups/\\S+ [1-9][0-9]* bytes");
  }

  @Test
  @Order(4)
  void aDeletedDatabasePodComesBackOnItsVolumeWithEveryReading() throws Exception {
    Map<String, String> keys = RealNodeCluster.apiKeys();
    String device = "drill-" + System.currentTimeMillis();
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> sent =
        send(
            app("/api/v1/readings", keys.get("INGEST_KEY"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"readings\":[{\"deviceId\":\""
                            + device
                            + "\",\"timestamp\":\""
                            + at
                            + "\",\"metric\":\"temp\",\"value\":21.5}]}")));
    assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 299);
    long rows = count(database(), "reading");

    String before =
        client.pods().inNamespace(NS).withName(NAME + "-db-0").get().getMetadata().getUid();
    Instant deleted = Instant.now();
    client.pods().inNamespace(NS).withName(NAME + "-db-0").delete();
    // The StatefulSet's new pod, Ready on the same volume (the old one answers while it shuts
    // down).
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              var pod = client.pods().inNamespace(NS).withName(NAME + "-db-0").get();
              return pod != null
                  && !before.equals(pod.getMetadata().getUid())
                  && pod.getStatus().getConditions().stream()
                      .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            });
    String readPath =
        "/api/v1/devices/"
            + device
            + "/readings?from="
            + at.minusSeconds(60)
            + "&to="
            + at.plusSeconds(60);
    // Recovered when the app answers with the reading again, through its Service.
    await()
        .atMost(Duration.ofMinutes(5))
        .pollDelay(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              HttpResponse<String> read = send(app(readPath, keys.get("READ_KEY")));
              return read.statusCode() == 200 && read.body().contains("\"value\":21.5");
            });
    Duration recovery = Duration.between(deleted, Instant.now());
    long after = count(database(), "reading");
    assertThat(after).as("readings after the database pod came back").isGreaterThanOrEqualTo(rows);
    String line =
        "database pod deleted: app serving the last reading again after %.1f s (RTO); %d of %d readings kept (RPO 0)"
            .formatted(recovery.toMillis() / 1000.0, Math.min(after, rows), rows);
    System.out.println("[backup-restore] " + line);
    Files.writeString(
        Path.of("target", "backup-restore-e2e.txt"),
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** A request to prod's app through its Service, answered as text. */
  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder app(String path, String key) {
    String base =
        "http://"
            + client.services().inNamespace(NS).withName(NAME).get().getSpec().getClusterIP()
            + ":8080";
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("X-API-Key", key)
        .timeout(Duration.ofSeconds(10));
  }

  private static boolean hasCondition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
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
