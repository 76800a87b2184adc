package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorProperties;
import io.appenv.operator.OperatorTestSupport;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentSpec;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.ComputeResources;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.api.ResourcesSpec;
import io.appenv.operator.names.Color;
import io.appenv.operator.release.ReleaseAnnotations;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that observes nothing new writes nothing, in every state an environment can rest in:
 * the operator resyncs every 2 s here, and over 8 s (four resyncs) its client sends no write for
 * the state's namespace: no status patch, no apply, no Event.
 */
@Tag("e2e")
class QuietStatesE2E {
  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static final Duration WINDOW = RESYNC.multipliedBy(4);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String STALE_NS = "quiet-backup-stale";
  private static final List<Write> WRITES = new CopyOnWriteArrayList<>();
  private static KubernetesClient client;
  private static Operator operator;

  /**
   * Sees time 40 days ahead, so that the backups of its one namespace are stale without waiting.
   */
  private static Operator laterOperator;

  @BeforeAll
  static void startOperators() {
    client = LocalCluster.client();
    OperatorProperties now =
        OperatorTestSupport.withResyncInterval(
            OperatorTestSupport.properties(
                List.of(
                    "quiet-ready",
                    "quiet-database-starting",
                    "quiet-database-down",
                    "quiet-awaiting-promotion",
                    "quiet-failed",
                    "quiet-rolled-back"),
                true),
            RESYNC);
    operator = start(now, Clock.systemUTC());
    laterOperator =
        start(
            OperatorTestSupport.withResyncInterval(
                OperatorTestSupport.properties(List.of(STALE_NS), true), RESYNC),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(40)));
  }

  @AfterAll
  static void stopOperators() {
    for (Operator o : new Operator[] {operator, laterOperator}) {
      if (o != null) {
        o.stop();
      }
    }
  }

  /** A request that is not a read, and when the client sent it. */
  private record Write(Instant at, String request) {}

  /** An operator whose client records every request that is not a read. */
  private static Operator start(OperatorProperties properties, Clock clock) {
    Interceptor writes =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (!"GET".equals(request.method())) {
              WRITES.add(
                  new Write(Instant.now(), request.method() + " " + request.uri().getPath()));
            }
          }
        };
    KubernetesClient recorded =
        new KubernetesClientBuilder()
            .withConfig(LocalCluster.config())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("writes", writes))
            .build();
    Operator started =
        OperatorFactory.create(recorded, new SimpleMeterRegistry(), properties, clock);
    started.start();
    return started;
  }

  private static AppEnvironment create(String ns, Consumer<AppEnvironmentSpec> customizer) {
    SampleEnvironments.namespace(client, ns);
    return client.resource(TestEnvironments.rolling(ns, "shop", customizer)).create();
  }

  private static Consumer<AppEnvironmentSpec> blueGreen(Consumer<AppEnvironmentSpec> more) {
    return spec -> {
      spec.getRelease().setStrategy(ReleaseStrategy.BlueGreen);
      spec.getRelease().setScaleDownDelay("1h");
      spec.setDatabase(new DatabaseSpec());
      BackupSpec backup = new BackupSpec();
      backup.setSchedule("0 2 * * *");
      spec.setBackup(backup);
      more.accept(spec);
    };
  }

  private static LiveEnvironment live(String ns) {
    return new LiveEnvironment(client, ns, "shop");
  }

  private static AppEnvironment env(String ns) {
    return live(ns).get();
  }

  private static Predicate<AppEnvironment> condition(String type, boolean status, String reason) {
    return e -> LiveEnvironment.has(e, type, status, reason);
  }

  private static Predicate<AppEnvironment> phase(Phase phase) {
    return e -> e != null && e.getStatus() != null && e.getStatus().getPhase() == phase;
  }

  /**
   * Once the environment rests in the state, a window of several resyncs sends no write for its
   * namespace. The window opens a resync after the state shows: the transition's own Events and
   * status writes are done by then.
   */
  private static void assertQuiet(String ns, Predicate<AppEnvironment> state) {
    await().atMost(TIMEOUT).until(() -> state.test(env(ns)));
    Instant opens = Instant.now().plus(RESYNC);

    Steady.unchanged(
        RESYNC.plus(WINDOW),
        () ->
            "writes for "
                + ns
                + " over "
                + WINDOW.toSeconds()
                + " s, "
                + WINDOW.dividedBy(RESYNC)
                + " resyncs, with the environment "
                + live(ns).phase(),
        () -> writesFor(ns, opens),
        List.of());
    assertThat(state.test(env(ns))).as("still in the state").isTrue();
  }

  /** The requests for {@code ns}'s objects sent after {@code after}. */
  private static List<String> writesFor(String ns, Instant after) {
    return WRITES.stream()
        .filter(w -> w.at().isAfter(after))
        .map(Write::request)
        .filter(w -> w.contains("/namespaces/" + ns + "/"))
        .toList();
  }

  @Test
  void readyWritesNothing() {
    create("quiet-ready", blueGreen(spec -> {}));

    assertQuiet(
        "quiet-ready",
        phase(Phase.Ready)
            .and(
                e ->
                    Conditions.isTrue(
                        e.getStatus().getConditions(), ConditionType.DATABASE_READY)));
  }

  @Test
  void waitingForTheDatabaseWritesNothing() {
    // No StorageClass of that name: the volume never binds, the database never starts.
    create(
        "quiet-database-starting",
        blueGreen(spec -> spec.getDatabase().setStorageClassName("missing")));

    assertQuiet(
        "quiet-database-starting",
        condition(ConditionType.PROGRESSING, true, "WaitingForDatabase"));
  }

  /**
   * Ready's status flips while the release, still serving, says True: its transition time must
   * hold.
   */
  @Test
  void aServingEnvironmentWhoseDatabaseIsDownWritesNothing() {
    String ns = "quiet-database-down";
    create(ns, blueGreen(spec -> {}));
    await()
        .atMost(TIMEOUT)
        .until(
            () -> live(ns).phase() == Phase.Ready && live(ns).isTrue(ConditionType.DATABASE_READY));
    // A quota of the pods running now, less one: the database Pod, deleted, cannot come back.
    long running =
        client.pods().inNamespace(ns).list().getItems().stream()
            .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
            .count();
    client
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("no-more-pods")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .addToHard("pods", new Quantity(String.valueOf(running - 1)))
                .endSpec()
                .build())
        .create();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Optional.ofNullable(
                        client.resourceQuotas().inNamespace(ns).withName("no-more-pods").get())
                    .map(ResourceQuota::getStatus)
                    .isPresent());
    client.pods().inNamespace(ns).withName("shop-db-0").delete();

    assertQuiet(
        ns,
        condition(ConditionType.DATABASE_READY, false, "Starting")
            .and(e -> "blue".equals(e.getStatus().getActiveColor())));
  }

  @Test
  void aReleaseAwaitingPromotionWritesNothing() {
    create("quiet-awaiting-promotion", blueGreen(spec -> spec.getRelease().setAutoPromote(false)));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                condition(ConditionType.PROGRESSING, true, "AwaitingPromotion")
                    .test(env("quiet-awaiting-promotion")));
    client
        .resources(AppEnvironment.class)
        .inNamespace("quiet-awaiting-promotion")
        .withName("shop")
        .edit(
            e -> {
              e.getMetadata().setAnnotations(Map.of(ReleaseAnnotations.PROMOTE, "1"));
              return e;
            });
    await().atMost(TIMEOUT).until(() -> live("quiet-awaiting-promotion").phase() == Phase.Ready);

    live("quiet-awaiting-promotion").setImage("ghcr.io/appenv/telemetry:2.0.0");

    assertQuiet(
        "quiet-awaiting-promotion",
        condition(ConditionType.PROGRESSING, true, "AwaitingPromotion"));
  }

  @Test
  void aFailedReleaseWritesNothing() {
    create("quiet-failed", blueGreen(spec -> spec.getRelease().setProgressDeadline("5s")));
    await().atMost(TIMEOUT).until(() -> live("quiet-failed").phase() == Phase.Ready);
    // More CPU than any node has: the new release's pods never
    // schedule, and it fails at its deadline.
    client
        .resources(AppEnvironment.class)
        .inNamespace("quiet-failed")
        .withName("shop")
        .edit(
            e -> {
              ResourcesSpec resources = new ResourcesSpec();
              ComputeResources requests = new ComputeResources();
              requests.setCpu("100");
              resources.setRequests(requests);
              e.getSpec().getApp().setResources(resources);
              return e;
            });

    assertQuiet("quiet-failed", condition(ConditionType.DEGRADED, true, "ReleaseFailed"));
  }

  @Test
  void aRolledBackEnvironmentWritesNothing() {
    create("quiet-rolled-back", blueGreen(spec -> {}));
    await().atMost(TIMEOUT).until(() -> live("quiet-rolled-back").phase() == Phase.Ready);
    live("quiet-rolled-back").setImage("ghcr.io/appenv/telemetry:2.0.0");
    await().atMost(TIMEOUT).until(() -> "green".equals(live("quiet-rolled-back").activeColor()));

    client
        .resources(AppEnvironment.class)
        .inNamespace("quiet-rolled-back")
        .withName("shop")
        .edit(
            e -> {
              e.getMetadata().setAnnotations(Map.of(ReleaseAnnotations.ROLLBACK, "2"));
              return e;
            });

    // At rest once the rejected colour is scaled down too: the reconcile after the rollback's
    // does that.
    assertQuiet(
        "quiet-rolled-back",
        phase(Phase.RolledBack)
            .and(e -> Integer.valueOf(0).equals(live("quiet-rolled-back").replicas(Color.GREEN))));
  }

  @Test
  void aStaleBackupWritesNothing() {
    create(
        STALE_NS,
        spec -> {
          spec.setDatabase(new DatabaseSpec());
          BackupSpec backup = new BackupSpec();
          backup.setSchedule("0 2 * * *");
          spec.setBackup(backup);
        });

    assertQuiet(STALE_NS, condition(ConditionType.BACKUP_HEALTHY, false, "NoBackupYet"));
  }
}
