package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.Samples;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseRef;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The prod sample's logical backup for real, on the container-running node: the backup CronJob's
 * Job dumps the running database onto its volume, and `make restore` (hack/restore.sh) restores the
 * latest dump into a scratch database, where every table's row count and a checksum over its rows
 * equal the source's. A release with migrations runs its own backup Job first and moves traffic
 * only once that dump is written. The drills break prod or dev and leave it serving again, so the
 * tests need no order.
 */
@Tag("e2e")
// After RealNodeE2E, on the cluster it leaves running; before MonitoringE2E (see RealNodeE2E).
@Order(Order.DEFAULT + 6)
class BackupRestoreE2E {
  private static final String NS = "telemetry-prod";
  private static final String NAME = "telemetry";
  private static final List<String> TABLES = List.of("device", "reading");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static KubernetesClient client;
  private static LiveEnvironment prod;

  @BeforeAll
  static void cluster() {
    client = RealNodeCluster.client();
    prod = new LiveEnvironment(client, NS, NAME);
  }

  /** A backup, then its restore: one chain, since the restore needs the dump. */
  @Test
  void theBackupCronJobsJobDumpsTheRunningDatabaseAndMakeRestoreBringsBackEveryRow()
      throws Exception {
    // 500 readings of a device of its own, beside whatever the app took in before.
    String database = database();
    psql(
        database,
        "INSERT INTO device (device_id) VALUES ('backup-e2e') ON CONFLICT DO NOTHING;"
            + " INSERT INTO reading SELECT 'backup-e2e', now() - g * interval '1 minute', 'temp', g"
            + " FROM generate_series(1, 500) g ON CONFLICT DO NOTHING");
    runBackupJob(NAME + "-backup-e2e");
    assertThat(count(database, "reading")).as("rows to restore").isGreaterThanOrEqualTo(500);

    restore("restore_check");

    for (String table : TABLES) {
      assertThat(fingerprint("restore_check", table))
          .as(table + ": row count and checksum over every row")
          .isEqualTo(fingerprint(database, table));
    }
  }

  @Test
  void aReleaseWithMigrationsIsPromotedOnlyAfterItsBackupDumped() {
    AppEnvironment env = prod.get();
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
                prod::get,
                now ->
                    LiveEnvironment.activeRelease(now)
                        .map(ReleaseRef::getRevision)
                        .filter(revision -> revision > before)
                        .isPresent());
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
  void aDeletedDatabasePodComesBackOnItsVolumeWithEveryReading() throws Exception {
    Map<String, String> keys = RealNodeCluster.apiKeys();
    String device = "drill-" + System.currentTimeMillis();
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> sent = ingest(keys, device, at, 21.5);
    assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 299);
    long rows = count(database(), "reading");

    String before =
        client.pods().inNamespace(NS).withName(NAME + "-db-0").get().getMetadata().getUid();
    Instant deleted = Instant.now();
    client.pods().inNamespace(NS).withName(NAME + "-db-0").delete();
    // The StatefulSet's new pod, Ready on the same volume
    // (the old one answers while it shuts down).
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              var pod = client.pods().inNamespace(NS).withName(NAME + "-db-0").get();
              return pod != null
                  && !before.equals(pod.getMetadata().getUid())
                  && pod.getStatus() != null
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
        // Refused, reset or timed out while the app's database comes back: not yet.
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> answers(readPath, keys.get("READ_KEY"), "\"value\":21.5"));
    Duration recovery = Duration.between(deleted, Instant.now());
    long after = count(database(), "reading");
    assertThat(after).as("readings after the database pod came back").isGreaterThanOrEqualTo(rows);
    String line =
        "database pod deleted: app serving the last reading again after %.1f s (RTO); %d of %d readings kept (RPO 0)"
            .formatted(recovery.toMillis() / 1000.0, Math.min(after, rows), rows);
    record(line);
  }

  /**
   * Drill: a table dropped by mistake (a bad migration, a wrong psql session). The newest dump is
   * restored into a scratch database with make restore, and the table is copied back from it into
   * the live database; readings written after the dump are lost, and that is the recovery point.
   */
  @Test
  void aDroppedTableIsRestoredFromTheNewestDump() throws Exception {
    Map<String, String> keys = RealNodeCluster.apiKeys();
    String device = "dropped-" + System.currentTimeMillis();
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    assertThat(ingest(keys, device, at, 21.5).statusCode()).isBetween(200, 299);
    runBackupJob(NAME + "-backup-drill");
    Instant dumped = Instant.now();
    // Written after the newest dump: what the drill will lose.
    assertThat(ingest(keys, device, at.plusSeconds(1), 22.5).statusCode()).isBetween(200, 299);
    String database = database();
    long rowsAtDrop = count(database, "reading");

    Instant dropped = Instant.now();
    psql(database, "DROP TABLE reading");
    assertThat(send(app(readPath(device, at), keys.get("READ_KEY"))).statusCode())
        .as("the app without its table")
        .isGreaterThanOrEqualTo(500);
    restore("drill_dropped_table");
    // The table as the dump has it (definition, primary key, foreign key, owner and grants) back
    // into the live database, as the superuser, from inside the database Pod.
    shell(
        "pg_dump -U postgres -d drill_dropped_table --table=reading"
            + " | psql -U postgres -d "
            + database
            + " -v ON_ERROR_STOP=1 -q");
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        // Refused, reset or timed out while the app finds its table again: not yet.
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> answers(readPath(device, at), keys.get("READ_KEY"), "\"value\":21.5"));
    Duration recovery = Duration.between(dropped, Instant.now());
    long rowsAfter = count(database, "reading");
    HttpResponse<String> lost = send(app(readPath(device, at), keys.get("READ_KEY")));
    assertThat(lost.body()).as("the reading written after the dump").doesNotContain("22.5");
    assertThat(rowsAtDrop - rowsAfter)
        .as("readings lost: those written after the dump")
        .isPositive();
    assertThat(ingest(keys, device, at.plusSeconds(2), 23.5).statusCode())
        .as("app writes into the restored table (its grants came back)")
        .isBetween(200, 299);
    record(
        "table dropped: app serving it again after %.1f s (RTO, restore of the newest dump into a scratch database and a copy of the table); %d of %d readings lost, those written in the %.1f s between the dump and the drop (RPO)"
            .formatted(
                recovery.toMillis() / 1000.0,
                rowsAtDrop - rowsAfter,
                rowsAtDrop,
                Duration.between(dumped, dropped).toMillis() / 1000.0));
  }

  /**
   * Drill: the prod AppEnvironment deleted (deletionPolicy Retain) and applied again, as after a
   * mistaken `kubectl delete` or an Argo CD prune; its volume and credentials wait for it.
   */
  @Test
  void anEnvironmentDeletedWithRetainComesBackWithItsData() throws Exception {
    Map<String, String> keys = RealNodeCluster.apiKeys();
    String device = "retain-" + System.currentTimeMillis();
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    assertThat(ingest(keys, device, at, 31.5).statusCode()).isBetween(200, 299);
    String database = database();
    long rows = count(database, "reading");
    AppEnvironment env = prod.get();
    assertThat(env.getSpec().getDatabase().getDeletionPolicy()).hasToString("Retain");
    String claim = prod.databaseClaim();
    String volume = claimedVolume(NS);

    Instant deleted = Instant.now();
    client.resource(env).delete();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                prod.get() == null
                    && client
                        .pods()
                        .inNamespace(NS)
                        .withLabel(Labels.INSTANCE, NAME)
                        .list()
                        .getItems()
                        .stream()
                        // The Jobs this class ran by hand own their
                        // finished pods, not the environment.
                        .allMatch(
                            pod ->
                                pod.getStatus() != null
                                    && List.of("Succeeded", "Failed")
                                        .contains(pod.getStatus().getPhase())));
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(claim).get())
        .as("the retained claim")
        .isNotNull();
    Instant reapplied = Instant.now();
    RealNodeCluster.applyAs(
        "backup-restore-e2e", Samples.appEnvironment(Samples.samplesDir().resolve("prod.yaml")));
    await()
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofSeconds(1))
        // Refused, reset or timed out while the environment's pods start again: not yet.
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> answers(readPath(device, at), keys.get("READ_KEY"), "\"value\":31.5"));
    Instant serving = Instant.now();
    assertThat(claimedVolume(NS)).as("the same volume").isEqualTo(volume);
    long after = count(database(), "reading");
    assertThat(after).as("every reading").isEqualTo(rows);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> prod.phase() == Phase.Ready);
    record(
        "environment deleted with Retain and applied again: app serving its data %.1f s after the apply, %.1f s after the delete (RTO); %d of %d readings kept (RPO 0)"
            .formatted(
                Duration.between(reapplied, serving).toMillis() / 1000.0,
                Duration.between(deleted, serving).toMillis() / 1000.0,
                after,
                rows));
  }

  /**
   * Drill: the dev environment (deletionPolicy Delete) deleted: its claim, volume and credentials
   * go with it, and applying it again starts an empty database.
   */
  @Test
  void anEnvironmentDeletedWithDeleteTakesItsVolumeAlong() throws Exception {
    String dev = "telemetry-dev";
    LiveEnvironment devEnv = new LiveEnvironment(client, dev, NAME);
    AppEnvironment env = devEnv.get();
    assertThat(env.getSpec().getDatabase().getDeletionPolicy()).hasToString("Delete");
    String claim = devEnv.databaseClaim();
    String volume = claimedVolume(dev);
    String secret = env.getStatus().getDatabase().getSecretName();

    client.resource(env).delete();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                client.persistentVolumeClaims().inNamespace(dev).withName(claim).get() == null
                    && client.persistentVolumes().withName(volume).get() == null);
    assertThat(client.secrets().inNamespace(dev).withName(secret).get())
        .as("the credentials Secret")
        .isNull();

    RealNodeCluster.applyAs(
        "backup-restore-e2e", Samples.appEnvironment(Samples.samplesDir().resolve("dev.yaml")));
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> devEnv.phase() == Phase.Ready);
    assertThat(claimedVolume(dev)).as("a new volume").isNotEqualTo(volume);
  }

  /** What `kubectl create job --from=cronjob/...` does: the CronJob's template, run now. */
  private static void runBackupJob(String name) {
    CronJob cronJob =
        client.batch().v1().cronjobs().inNamespace(NS).withName(NAME + "-backup").get();
    assertThat(cronJob).as("prod's logical backup CronJob").isNotNull();
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
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

  private static HttpResponse<String> ingest(
      Map<String, String> keys, String device, Instant at, double value) throws Exception {
    return send(
        app("/api/v1/readings", keys.get("INGEST_KEY"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"readings\":[{\"deviceId\":\""
                        + device
                        + "\",\"timestamp\":\""
                        + at
                        + "\",\"metric\":\"temp\",\"value\":"
                        + value
                        + "}]}")));
  }

  private static String readPath(String device, Instant at) {
    return "/api/v1/devices/"
        + device
        + "/readings?from="
        + at.minusSeconds(60)
        + "&to="
        + at.plusSeconds(60);
  }

  /** make restore of the newest dump into {@code target}, a scratch database. */
  private static void restore(String target) throws Exception {
    ProcessBuilder command =
        new ProcessBuilder(
                "bash",
                RealNodeCluster.root().resolve("hack/restore.sh").toString(),
                NS,
                NAME,
                "latest",
                target)
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target", "backup-restore-e2e-" + target + ".log").toFile());
    command.environment().put("KUBECONFIG", RealNodeCluster.kubeconfig().toString());
    Process restore = command.start();
    restore.getOutputStream().close();
    assertThat(restore.waitFor(6, TimeUnit.MINUTES)).as("make restore within 6 min").isTrue();
    assertThat(restore.exitValue())
        .as("make restore (target/backup-restore-e2e-" + target + ".log)")
        .isZero();
  }

  private static void record(String line) throws Exception {
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

  /**
   * prod's app answers {@code path} with 200 and {@code text}; false while its Service is not there
   * (it goes and comes back with the environment).
   */
  private static boolean answers(String path, String key, String text) throws Exception {
    Service service = prod.service();
    if (service == null) {
      return false;
    }
    HttpResponse<String> read = send(app(service, path, key));
    return read.statusCode() == 200 && read.body().contains(text);
  }

  private static HttpRequest.Builder app(String path, String key) {
    return app(prod.service(), path, key);
  }

  private static HttpRequest.Builder app(Service service, String path, String key) {
    String base = "http://" + service.getSpec().getClusterIP() + ":8080";
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
                    + " ('postgres', 'template0', 'template1', 'restore_check')"
                    + " and datname not like 'drill\\_%'")
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

  /** The volume bound to the database's claim in {@code namespace}. */
  private static String claimedVolume(String namespace) {
    LiveEnvironment env = new LiveEnvironment(client, namespace, NAME);
    return env.child(PersistentVolumeClaim.class, env.databaseClaim()).getSpec().getVolumeName();
  }

  /** A shell command in the database Pod (its image's bash, psql and pg_dump). */
  private static void shell(String command) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (var watch =
        client
            .pods()
            .inNamespace(NS)
            .withName(NAME + "-db-0")
            .inContainer("postgres")
            .writingOutput(new ByteArrayOutputStream())
            .writingError(err)
            .exec("bash", "-o", "pipefail", "-c", command)) {
      int exit = watch.exitCode().get(5, TimeUnit.MINUTES);
      assertThat(exit).as(command + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
    } catch (Exception e) {
      throw new IllegalStateException("in " + NAME + "-db-0: " + command, e);
    }
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
