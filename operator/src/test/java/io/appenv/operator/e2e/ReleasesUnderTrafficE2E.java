package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentSpec;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.e2e.LoadGenerator.Answer;
import io.appenv.operator.names.Labels;
import io.appenv.operator.release.ReleaseResult;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Releases under real traffic on the container-running node: 60 requests a second through the app's
 * Service (one connection each, routed by kube-proxy) while a blue/green release is promoted, while
 * an alert posted to Alertmanager switches back to the warm previous colour, and while a cold
 * rollback (previous colour scaled to zero) starts it again. Alertmanager reaches the webhook
 * through the operator's Service, which selects the leader's Pod only; the leader is then deleted
 * in the middle of a release and the other replica finishes it. Figures go to stdout and
 * target/releases-under-traffic.txt (docs/benchmarks.md).
 */
@Tag("e2e")
// After NetworkPolicyE2E and before BackupRestoreE2E (see RealNodeE2E): an environment of its own,
// deleted at the end, so the machine is quiet again for the classes after it. Each test starts
// from whatever release the one before left serving.
@Order(Order.DEFAULT + 5)
class ReleasesUnderTrafficE2E {
  private static final String NS = "appenv-traffic";
  private static final String NAME = "telemetry";
  private static final String MANAGER = "releases-under-traffic-e2e";
  private static final int PER_SECOND = 60;

  /** Seconds of answers the load has before the release or the alert it watches. */
  private static final int BEFORE_SECONDS = 3;

  /** Seconds of answers the load has after the release or rollback is done. */
  private static final int AFTER_SECONDS = 5;

  private static final Path FIGURES = Path.of("target", "releases-under-traffic.txt");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static KubernetesClient client;
  private static LiveEnvironment env;
  private static String readKey;
  private static AppEnvironment applied;

  @BeforeAll
  static void environmentOfItsOwn() throws Exception {
    client = RealNodeCluster.client();
    env = new LiveEnvironment(client, NS, NAME);
    readKey = RealNodeCluster.apiKeys().get("READ_KEY");
    // The dev sample without backups: one replica per colour, its own database.
    applied = RealNodeCluster.devSampleIn(NS, readKey, MANAGER, spec -> {});
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> env.phase() == Phase.Ready);
    // Ready says the Deployment is available; kube-proxy may route the new Service a moment later.
    HttpRequest devices =
        HttpRequest.newBuilder(URI.create("http://" + clusterIp() + ":8080/api/v1/devices"))
            .header("X-API-Key", readKey)
            .timeout(Duration.ofSeconds(5))
            .build();
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        // Refused or timed out: not routed yet.
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(
            () -> HTTP.send(devices, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    Files.deleteIfExists(FIGURES);
  }

  @AfterAll
  static void deleteIt() {
    if (client != null) {
      client.namespaces().withName(NS).delete();
    }
  }

  /**
   * A promotion, then the alert that rolls it back while the colour it replaced still runs: one
   * chain, since the warm rollback needs the promotion before it.
   */
  @Test
  void aPromotionAndThenItsWarmRollbackUnderLoadFailNoRequest() throws Exception {
    // The promotion.
    String before = env.servingColor();
    LoadGenerator load = loadForAWhile();
    long released = System.nanoTime();
    release("v2", spec -> {});
    long switched = awaitSwitchFrom(before, Duration.ofMinutes(4));
    await().atMost(Duration.ofMinutes(1)).until(() -> env.phase() == Phase.Ready);
    List<Answer> answers = stopAfterAWhile(load);

    String after = env.servingColor();
    report("promotion", answers, released, switched, before, after);
    assertThat(failures(answers)).as("failed requests during the promotion").isZero();
    assertThat(answeredBy(answers, before)).as("answers before the switch").isPositive();
    assertThat(lastAnswerFrom(answers, before))
        .as("the old colour stops answering soon after the switch")
        .isLessThan(switched + 5_000_000_000L);

    // The warm rollback of what was just promoted.
    String bad = env.servingColor();
    load = loadForAWhile();
    long alerted = System.nanoTime();
    postAlert("TrafficE2EWarmRollback");
    switched = awaitSwitchFrom(bad, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(30)).until(() -> env.phase() == Phase.RolledBack);
    answers = stopAfterAWhile(load);

    report("warm rollback", answers, alerted, switched, bad, env.servingColor());
    assertThat(failures(answers)).as("failed requests during the warm rollback").isZero();
    assertThat(switched - alerted)
        .as("alert posted to Alertmanager to the Service switched (group_wait 1s)")
        .isLessThan(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void aColdRollbackUnderLoadStartsThePreviousColourAgainBeforeTrafficMoves() throws Exception {
    // A release whose previous colour is scaled to zero a second after promotion.
    String good = env.servingColor();
    release("v3", spec -> spec.getRelease().setScaleDownDelay("1s"));
    awaitSwitchFrom(good, Duration.ofMinutes(4));
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> pods(good).isEmpty());
    String bad = env.servingColor();
    LoadGenerator load = loadForAWhile();
    long alerted = System.nanoTime();
    postAlert("TrafficE2EColdRollback");
    long switched = awaitSwitchFrom(bad, Duration.ofMinutes(4));
    await().atMost(Duration.ofSeconds(30)).until(() -> env.phase() == Phase.RolledBack);
    List<Answer> answers = stopAfterAWhile(load);

    report("cold rollback", answers, alerted, switched, bad, env.servingColor());
    ReleaseRecord rolledBack = env.newestRelease().orElseThrow();
    assertThat(rolledBack.getTimeToRestoreSeconds())
        .as(
            "time to restore ends when traffic moved (%.1f s after the alert), not at the decision",
            (switched - alerted) / 1e9)
        .isGreaterThan((switched - alerted) / 1e9 - 2)
        .isLessThan((switched - alerted) / 1e9 + 2);
    assertThat(env.servingColor()).isEqualTo(good);
    assertThat(answeredBy(answers, good)).as("answers from the colour started again").isPositive();
    // The Service moves only once the started colour is ready: no request meets a colour that is
    // not there yet.
    assertThat(failures(answers)).as("failed requests during the cold rollback").isZero();
  }

  @Test
  void theLeaderDeletedMidReleaseIsReplacedAndTheWebhookFollowsIt() throws Exception {
    String before = env.servingColor();
    String leader = leaseHolder();
    Long lastRevision = env.newestRelease().orElseThrow().getRevision();
    release("v4", spec -> spec.getRelease().setScaleDownDelay("10m"));
    // The leader has recorded the release and its new colour is starting: the leader goes now.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                env.newestRelease()
                    .filter(newest -> !newest.getRevision().equals(lastRevision))
                    .filter(newest -> newest.getPromotedAt() == null)
                    .isPresent());
    long deleted = System.nanoTime();
    client.pods().inNamespace("appenv-system").withName(leader).delete();

    // The stopping leader first empties the holder (LeaseRelease); the standby's name follows. One
    // read per check: two reads could see the old leader, then the empty holder, and pass with no
    // new leader (a CI run did).
    String next =
        await()
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(200))
            .until(
                ReleasesUnderTrafficE2E::leaseHolder,
                holder -> !holder.isEmpty() && !leader.equals(holder));
    long tookOver = System.nanoTime();
    long switched = awaitSwitchFrom(before, Duration.ofMinutes(4));
    await().atMost(Duration.ofMinutes(1)).until(() -> env.phase() == Phase.Ready);

    List<ReleaseRecord> history = env.history();
    ReleaseRecord promoted = history.get(0);
    assertThat(promoted.getResult()).isEqualTo(ReleaseResult.SUCCEEDED);
    assertThat(
            history.stream()
                .filter(r -> r.getTemplateHash().equals(promoted.getTemplateHash()))
                .count())
        .as("one record of the release the two leaders shared")
        .isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(webhookEndpoints())
                    .as("the webhook's Service reaches the new leader only")
                    .singleElement()
                    .satisfies(
                        e ->
                            assertThat(e.getTargetRef())
                                .extracting(ObjectReference::getName)
                                .isEqualTo(next)));
    String figures =
        "leader %s deleted mid-release: %s took the Lease after %.1f s, the release promoted %.1f s after the deletion"
            .formatted(leader, next, (tookOver - deleted) / 1e9, (switched - deleted) / 1e9);
    record(figures);

    // Alertmanager's delivery lands on the new leader through the Service and rolls back.
    String bad = env.servingColor();
    long alerted = System.nanoTime();
    postAlert("TrafficE2EAfterFailover");
    long back = awaitSwitchFrom(bad, Duration.ofSeconds(30));
    record(
        "after the failover, alert posted to Alertmanager to Service switched: %.2f s"
            .formatted((back - alerted) / 1e9));
  }

  @Test
  void theOperatorsPodsAreReadyUnderTheirMemoryLimit() throws Exception {
    List<Pod> operators =
        RealNodeCluster.operatorPods().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    assertThat(operators).hasSize(2);
    for (Pod pod : operators) {
      var container = pod.getSpec().getContainers().get(0);
      assertThat(container.getStartupProbe()).isNotNull();
      assertThat(container.getLivenessProbe()).isNotNull();
      assertThat(container.getReadinessProbe()).isNotNull();
      assertThat(pod.getStatus().getConditions())
          .as("the kubelet's readiness probe passed")
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
              });
      long limit =
          container.getResources().getLimits().get("memory").getNumericalAmount().longValue();
      long workingSet = workingSetBytes(pod);
      record(
          "operator pod %s: memory working set %d MiB of its %d MiB limit, restarts %d"
              .formatted(
                  pod.getMetadata().getName(),
                  workingSet >> 20,
                  limit >> 20,
                  pod.getStatus().getContainerStatuses().get(0).getRestartCount()));
      assertThat(workingSet).as(pod.getMetadata().getName()).isPositive().isLessThan(limit);
      assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount())
          .as("no liveness restart, no OOM kill")
          .isZero();
    }
  }

  // --- the load and what it saw -------------------------------------------------------------

  /** The app's Service's cluster IP (the Service outlives every release of the class). */
  private static String clusterIp() {
    return env.service().getSpec().getClusterIP();
  }

  /** Load through the Service, once it has had {@link #BEFORE_SECONDS} of answers. */
  private static LoadGenerator loadForAWhile() {
    long started = System.nanoTime();
    LoadGenerator load =
        new LoadGenerator(
            clusterIp(), 8080, "/api/v1/devices", readKey, PER_SECOND, PER_SECOND * 300);
    awaitAnswered(load, started, BEFORE_SECONDS);
    return load;
  }

  /**
   * Stops the load once it has had {@link #AFTER_SECONDS} of answers to requests sent from now:
   * what a release's end (the old colour going, the status written) may fail is in them.
   */
  private static List<Answer> stopAfterAWhile(LoadGenerator load) throws InterruptedException {
    awaitAnswered(load, System.nanoTime(), AFTER_SECONDS);
    return load.stop();
  }

  /** Until the requests sent since {@code sentNanos} have {@code seconds}' worth of answers. */
  private static void awaitAnswered(LoadGenerator load, long sentNanos, int seconds) {
    await()
        .atMost(Duration.ofSeconds(seconds + 30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> load.answeredSince(sentNanos) >= (long) PER_SECOND * seconds);
  }

  private static long failures(List<Answer> answers) {
    return answers.stream().filter(Answer::failed).count();
  }

  private static long answeredBy(List<Answer> answers, String color) {
    return answers.stream().filter(a -> color.equals(a.color())).count();
  }

  private static long lastAnswerFrom(List<Answer> answers, String color) {
    return answers.stream()
        .filter(a -> color.equals(a.color()))
        .mapToLong(Answer::sentNanos)
        .max()
        .orElse(0);
  }

  private static void report(
      String what, List<Answer> answers, long start, long switched, String from, String to)
      throws Exception {
    long firstNew =
        answers.stream()
            .filter(a -> to.equals(a.color()) && a.sentNanos() >= start)
            .mapToLong(Answer::sentNanos)
            .min()
            .orElse(-1);
    List<Answer> failed = answers.stream().filter(Answer::failed).toList();
    String failures =
        failed.isEmpty()
            ? ""
            : " (failed from %.2f s to %.2f s after the trigger, statuses %s)"
                .formatted(
                    (failed.get(0).sentNanos() - start) / 1e9,
                    (failed.get(failed.size() - 1).sentNanos() - start) / 1e9,
                    failed.stream().map(a -> a.status() + "@" + a.color()).distinct().toList());
    record(
        ("%s: %d requests at %d/s, %d failed%s; trigger to Service switched %.2f s; first answer"
                + " from %s %.2f s, last from %s %.2f s after the trigger")
            .formatted(
                what,
                answers.size(),
                PER_SECOND,
                failures(answers),
                failures,
                (switched - start) / 1e9,
                to,
                (firstNew - start) / 1e9,
                from,
                (lastAnswerFrom(answers, from) - start) / 1e9));
  }

  private static void record(String line) throws Exception {
    System.out.println("[releases under traffic] " + line);
    Files.writeString(FIGURES, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  // --- the environment --------------------------------------------------------------------------

  /**
   * A new release: the app's image under a tag of its own (the same image, tagged on the node: a
   * rolled-back image is not released again), plus whatever {@code change} does.
   */
  private static void release(String version, Consumer<AppEnvironmentSpec> change)
      throws Exception {
    String image = applied.getSpec().getApp().getImage();
    String tagged = image.substring(0, image.lastIndexOf(':') + 1) + "traffic-" + version;
    RealNodeCluster.ctr("images", "tag", "--force", image, tagged);
    AppEnvironment next = Serialization.clone(applied);
    next.getSpec().getApp().setImage(tagged);
    change.accept(next.getSpec());
    RealNodeCluster.applyAs(MANAGER, next);
  }

  /** Waits until the main Service no longer selects {@code color}; returns when it saw that. */
  private static long awaitSwitchFrom(String color, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              String now = env.servingColor();
              return now != null && !color.equals(now);
            });
    return System.nanoTime();
  }

  private static List<Pod> pods(String color) {
    return client.pods().inNamespace(NS).withLabel(Labels.COLOR, color).list().getItems();
  }

  // --- the operator, Alertmanager and the node ----------------------------------------------

  private static String leaseHolder() {
    Lease lease = client.leases().inNamespace("appenv-system").withName("appenv-operator").get();
    String holder =
        lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    return holder == null ? "" : holder;
  }

  /** The ready endpoints of the operator's webhook Service. */
  private static List<Endpoint> webhookEndpoints() {
    return client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("appenv-system")
        .withLabel("kubernetes.io/service-name", "appenv-operator")
        .list()
        .getItems()
        .stream()
        .flatMap(slice -> slice.getEndpoints().stream())
        .filter(
            e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
        .toList();
  }

  /**
   * A firing alert of this environment, posted to the cluster's Alertmanager as Prometheus would;
   * its route (group_wait 1s) sends it to the operator's webhook Service. A new alert name each
   * time starts a new group.
   */
  private static void postAlert(String alertname) throws Exception {
    String alertmanager =
        client
            .pods()
            .inNamespace("monitoring")
            .withName("alertmanager-appenv-0")
            .get()
            .getStatus()
            .getPodIP();
    String body =
        new FiringAlert(alertname, NS, NAME)
            .forAlertmanager(Instant.now(), Instant.now().plusSeconds(300));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + alertmanager + ":9093/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /**
   * The container's memory working set, from its node's kubelet (the metric the OOM killer
   * follows).
   */
  @SuppressWarnings("unchecked")
  private static long workingSetBytes(Pod pod) {
    Map<String, Object> summary =
        Serialization.unmarshal(
            client.raw("/api/v1/nodes/" + pod.getSpec().getNodeName() + "/proxy/stats/summary"),
            Map.class);
    for (Map<String, Object> entry : (List<Map<String, Object>>) summary.get("pods")) {
      Map<String, Object> ref = (Map<String, Object>) entry.get("podRef");
      if (pod.getMetadata().getName().equals(ref.get("name"))) {
        Map<String, Object> container =
            ((List<Map<String, Object>>) entry.get("containers")).get(0);
        return ((Number) ((Map<String, Object>) container.get("memory")).get("workingSetBytes"))
            .longValue();
      }
    }
    throw new AssertionError("no stats for " + pod.getMetadata().getName());
  }
}
