package io.appenv.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.ManualClock;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.Condition;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRef;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against fabric8's CRUD mock API server: children, drift, status, events, quiet
 * resyncs.
 */
@EnableKubernetesMockClient(crud = true)
class AppEnvironmentReconcilerTest {
  private static final String NS = "shop-dev";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  KubernetesMockServer server;
  KubernetesClient client;
  private MockOperatorHarness harness;

  @BeforeEach
  void startOperator() {
    harness = new MockOperatorHarness(client);
  }

  @AfterEach
  void stopOperator() {
    harness.close();
  }

  private AppEnvironment create(AppEnvironment env) {
    return client.resource(env).create();
  }

  private AppEnvironment current(String name) {
    return client.resources(AppEnvironment.class).inNamespace(NS).withName(name).get();
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(NS).withName(name).get();
  }

  /** The environment's status: empty until the operator has written one. */
  private Optional<AppEnvironmentStatus> status(String name) {
    return Optional.ofNullable(current(name)).map(AppEnvironment::getStatus);
  }

  private Optional<Phase> phase(String name) {
    return status(name).map(AppEnvironmentStatus::getPhase);
  }

  private boolean inPhase(String name, Phase expected) {
    return phase(name).filter(expected::equals).isPresent();
  }

  private Optional<Condition> condition(String name, String type) {
    return status(name).flatMap(status -> Conditions.find(status.getConditions(), type));
  }

  /** The selector of a Service: empty while the Service does not exist. */
  private Map<String, String> selector(String service) {
    return Optional.ofNullable(get(Service.class, service))
        .map(s -> s.getSpec().getSelector())
        .orElse(Map.of());
  }

  /** Plays the Deployment controller, which the mock server does not have. */
  private void markAvailable(String name) {
    Deployment deployment = deployment(name);
    int replicas = deployment.getSpec().getReplicas();
    deployment.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withAvailableReplicas(replicas)
            .withReadyReplicas(replicas)
            .build());
    client.resource(deployment).updateStatus();
  }

  /** Plays the StatefulSet controller and the kubelet: the database Pod is ready. */
  private void markDatabaseReady(String name) {
    StatefulSet statefulSet = get(StatefulSet.class, name);
    statefulSet.setStatus(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
            .withObservedGeneration(statefulSet.getMetadata().getGeneration())
            .withReplicas(1)
            .withReadyReplicas(1)
            .withAvailableReplicas(1)
            .build());
    client.resource(statefulSet).updateStatus();
  }

  private List<Event> events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void createsTheAppObjectsOwnedByTheEnvironment() {
    AppEnvironment env =
        create(TestEnvironments.rolling(NS, "shop", spec -> spec.getApp().setReplicas(2)));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(deployment("shop")).isNotNull();
              assertThat(get(Service.class, "shop")).isNotNull();
              assertThat(get(PodDisruptionBudget.class, "shop")).isNotNull();
              assertThat(get(NetworkPolicy.class, "shop")).isNotNull();
            });
    for (HasMetadata child :
        List.of(
            deployment("shop"),
            get(Service.class, "shop"),
            get(PodDisruptionBudget.class, "shop"),
            get(NetworkPolicy.class, "shop"))) {
      assertThat(child.getMetadata().getOwnerReferences())
          .as(child.getKind())
          .singleElement()
          .satisfies(
              owner -> {
                assertThat(owner.getUid()).isEqualTo(env.getMetadata().getUid());
                assertThat(owner.getKind()).isEqualTo("AppEnvironment");
              });
    }
    assertThat(deployment("shop").getSpec().getReplicas()).isEqualTo(2);
    // One Event for what the reconcile created, not one per object.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(events("Created"))
                    .anySatisfy(
                        e ->
                            assertThat(e.getMessage())
                                .contains(
                                    "Deployment shop, ",
                                    "NetworkPolicy shop",
                                    "PodDisruptionBudget shop",
                                    "Service shop")));
  }

  @Test
  void reportsProgressingThenReadyWhenTheDeploymentIsAvailable() {
    create(TestEnvironments.rolling(NS, "shop"));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(phase("shop")).contains(Phase.Progressing);
              assertThat(condition("shop", ConditionType.PROGRESSING))
                  .map(Condition::getStatus)
                  .contains("True");
            });

    markAvailable("shop");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              AppEnvironment env = current("shop");
              assertThat(env.getStatus()).isNotNull();
              assertThat(env.getStatus().getPhase()).isEqualTo(Phase.Ready);
              assertThat(env.getStatus().getObservedGeneration())
                  .isEqualTo(env.getMetadata().getGeneration());
              assertThat(condition("shop", ConditionType.READY))
                  .map(Condition::getStatus)
                  .contains("True");
              assertThat(condition("shop", ConditionType.DEGRADED))
                  .map(Condition::getStatus)
                  .contains("False");
            });
    await().atMost(TIMEOUT).until(() -> !events("ReleaseActive").isEmpty());
  }

  @Test
  void specChangesFlowToTheChildren() {
    create(TestEnvironments.rolling(NS, "shop", spec -> spec.getApp().setReplicas(3)));
    await().atMost(TIMEOUT).until(() -> get(PodDisruptionBudget.class, "shop") != null);

    client
        .resources(AppEnvironment.class)
        .inNamespace(NS)
        .withName("shop")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"app\":{\"image\":\"ghcr.io/appenv/telemetry:2.0.0\",\"replicas\":1}}}");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Deployment deployment = deployment("shop");
              assertThat(deployment).isNotNull();
              assertThat(
                      deployment
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getImage())
                  .isEqualTo("ghcr.io/appenv/telemetry:2.0.0");
              assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
              assertThat(get(PodDisruptionBudget.class, "shop"))
                  .as("no PDB for a single replica")
                  .isNull();
            });
  }

  @Test
  void childrenEditedByHandAreBroughtBack() {
    create(TestEnvironments.rolling(NS, "shop"));
    await()
        .atMost(TIMEOUT)
        .until(() -> deployment("shop") != null && get(Service.class, "shop") != null);

    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("shop")
        .edit(
            d -> {
              d.getSpec().setReplicas(5);
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil/image:1");
              return d;
            });
    client.services().inNamespace(NS).withName("shop").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Deployment deployment = deployment("shop");
              assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
              assertThat(
                      deployment
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getImage())
                  .isEqualTo(TestEnvironments.IMAGE);
              assertThat(get(Service.class, "shop")).isNotNull();
            });
  }

  @Test
  void invalidSpecEndsDegradedWithAWarningEventAndCreatesNothing() {
    create(
        TestEnvironments.rolling(
            NS,
            "broken",
            spec -> spec.getApp().setEnv(List.of(EnvVarSpec.literal("APPENV_SECRET_MODE", "x")))));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(phase("broken")).contains(Phase.Degraded);
              assertThat(condition("broken", ConditionType.DEGRADED))
                  .hasValueSatisfying(
                      degraded -> {
                        assertThat(degraded.getStatus()).isEqualTo("True");
                        assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
                        assertThat(degraded.getMessage())
                            .contains("APPENV_SECRET_MODE")
                            .contains("reserved for appenv");
                      });
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(events("InvalidSpec"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));
    assertThat(deployment("broken")).isNull();
    assertThat(current("broken").getSpec().getApp().getEnv()).as("spec untouched").hasSize(1);
  }

  @Test
  void blueGreenReleasesSwitchTrafficOnlyWhenTheNewColourIsAvailable() {
    create(TestEnvironments.blueGreen(NS, "bg"));
    await().atMost(TIMEOUT).until(() -> deployment("bg-blue") != null);
    markAvailable("bg-blue");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(status("bg")).map(AppEnvironmentStatus::getActiveColor).contains("blue");
              assertThat(selector("bg")).containsEntry("platform.appenv.io/color", "blue");
            });

    client
        .resources(AppEnvironment.class)
        .inNamespace(NS)
        .withName("bg")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"app\":{\"image\":\"ghcr.io/appenv/telemetry:2.0.0\"}}}");
    await().atMost(TIMEOUT).until(() -> deployment("bg-green") != null);
    assertThat(get(Service.class, "bg").getSpec().getSelector())
        .as("traffic stays on blue while green starts")
        .containsEntry("platform.appenv.io/color", "blue");
    assertThat(get(Service.class, "bg-preview").getSpec().getSelector())
        .containsEntry("platform.appenv.io/color", "green");

    markAvailable("bg-green");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              AppEnvironmentStatus promoted = current("bg").getStatus();
              assertThat(promoted.getActiveColor()).isEqualTo("green");
              assertThat(promoted.getActiveRelease())
                  .isNotNull()
                  .extracting(ReleaseRef::getRevision)
                  .isEqualTo(2L);
              assertThat(promoted.getPreviousRelease())
                  .isNotNull()
                  .extracting(ReleaseRef::getImage)
                  .isEqualTo(TestEnvironments.IMAGE);
              assertThat(selector("bg")).containsEntry("platform.appenv.io/color", "green");
            });
    assertThat(deployment("bg-blue").getSpec().getReplicas())
        .as("previous release kept warm")
        .isEqualTo(1);
    assertThat(
            deployment("bg-blue")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo(TestEnvironments.IMAGE);
    await().atMost(TIMEOUT).until(() -> !events("Promoted").isEmpty());
  }

  @Test
  void aReleaseWhosePodsCannotStartSaysWhyInTheStatusAndOnceInAWarningEvent() {
    harness.close();
    ManualClock clock = new ManualClock(Instant.now());
    harness = new MockOperatorHarness(client, clock);
    create(TestEnvironments.blueGreen(NS, "stuck"));
    await().atMost(TIMEOUT).until(() -> deployment("stuck-blue") != null);
    markAvailable("stuck-blue");
    await()
        .atMost(TIMEOUT)
        .until(() -> status("stuck").map(s -> "blue".equals(s.getActiveColor())).orElse(false));
    client
        .resources(AppEnvironment.class)
        .inNamespace(NS)
        .withName("stuck")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"app\":{\"image\":\"ghcr.io/appenv/telemetry:2.0.0\"}}}");
    await().atMost(TIMEOUT).until(() -> deployment("stuck-green") != null);
    // What the kubelet writes when a container's Secret key is missing.
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("stuck-green-7d9f-x2x4k")
                .withNamespace(NS)
                .withLabels(deployment("stuck-green").getSpec().getSelector().getMatchLabels())
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName("app")
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewWaiting()
                .withReason("CreateContainerConfigError")
                .withMessage("secret \"api-keys\" not found")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
    clock.advance(Duration.ofSeconds(20));
    // The Deployment controller's count of the pod: a status change that wakes the reconciler.
    Deployment green = deployment("stuck-green");
    green.setStatus(
        new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
            .withObservedGeneration(green.getMetadata().getGeneration())
            .withReplicas(1)
            .withUpdatedReplicas(1)
            .withUnavailableReplicas(1)
            .build());
    client.resource(green).updateStatus();

    String why = "pod stuck-green-7d9f-x2x4k: container app CreateContainerConfigError: secret";
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(condition("stuck", ConditionType.PROGRESSING))
                  .hasValueSatisfying(
                      progressing -> {
                        assertThat(progressing.getReason()).isEqualTo("ReleaseCannotStart");
                        assertThat(progressing.getMessage())
                            .startsWith(
                                "Revision 2 (ghcr.io/appenv/telemetry:2.0.0) cannot start on green: ")
                            .contains(why);
                      });
              assertThat(condition("stuck", ConditionType.DEGRADED))
                  .map(Condition::getStatus)
                  .contains("True");
              assertThat(events("ReleaseCannotStart"))
                  .singleElement()
                  .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"))
                  .satisfies(e -> assertThat(e.getMessage()).contains(why));
            });
    assertThat(get(Service.class, "stuck").getSpec().getSelector())
        .as("traffic stays on blue")
        .containsEntry("platform.appenv.io/color", "blue");
  }

  @Test
  void databaseCredentialsAreGeneratedOnceAndNeverShown() {
    // Every log line, down to DEBUG, of the operator, JOSDK and
    // fabric8 while the Secret is created and used.
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Level level = root.getLevel();
    var logs =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try {
      credentialsStayHidden(logs);
    } finally {
      root.setLevel(level);
      root.detachAppender(logs);
    }
  }

  private void credentialsStayHidden(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs) {
    create(TestEnvironments.rolling(NS, "withdb", spec -> spec.setDatabase(new DatabaseSpec())));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                get(Secret.class, "withdb-db-credentials") != null
                    && get(StatefulSet.class, "withdb-db") != null);
    assertThat(deployment("withdb")).as("the app waits for its database").isNull();
    markDatabaseReady("withdb-db");
    await().atMost(TIMEOUT).until(() -> deployment("withdb") != null);
    Secret first = get(Secret.class, "withdb-db-credentials");
    Map<String, String> passwords =
        first.getStringData() != null ? first.getStringData() : first.getData();
    assertThat(passwords)
        .containsKeys("app-password", "owner-password", "readonly-password", "superuser-password");

    client
        .resources(AppEnvironment.class)
        .inNamespace(NS)
        .withName("withdb")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"app\":{\"image\":\"ghcr.io/appenv/telemetry:3.0.0\"}}}");
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                deployment("withdb")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage()
                    .endsWith(":3.0.0"));

    assertThat(get(Secret.class, "withdb-db-credentials").getMetadata().getResourceVersion())
        .as("never regenerated")
        .isEqualTo(first.getMetadata().getResourceVersion());
    String visible =
        Serialization.asJson(current("withdb").getStatus())
            + client.v1().events().inNamespace(NS).list().getItems().stream()
                .map(e -> e.getMessage())
                .toList();
    List<ch.qos.logback.classic.spi.ILoggingEvent> events;
    synchronized (logs) { // the appender appends under its own lock
      events = new ArrayList<>(logs.list);
    }
    // The mock API server logs stored objects at DEBUG; it
    // stands in for the API server, not the operator.
    String logged =
        events.stream()
            .filter(
                e ->
                    !e.getLoggerName().startsWith("io.fabric8.kubernetes.client.server.mock")
                        && !e.getLoggerName().startsWith("io.fabric8.mockwebserver"))
            .map(
                e ->
                    "\n"
                        + e.getLoggerName()
                        + ": "
                        + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
            .reduce("", String::concat);
    assertThat(events).as("log lines captured").isNotEmpty();
    boolean encoded = first.getStringData() == null;
    List<String> secrets =
        passwords.entrySet().stream()
            .filter(e -> e.getKey().endsWith("-password"))
            .map(
                e ->
                    encoded
                        ? new String(java.util.Base64.getDecoder().decode(e.getValue()))
                        : e.getValue())
            .toList();
    assertThat(secrets).as("the generated passwords").hasSize(4);
    secrets.forEach(
        password -> {
          assertThat(visible).doesNotContain(password);
          assertThat(logged).doesNotContain(password);
        });
    assertThat(current("withdb").getStatus().getDatabase().getSecretName())
        .isEqualTo("withdb-db-credentials");
  }

  @Test
  void aResyncOfAnUnchangedEnvironmentWritesNothing() throws InterruptedException {
    create(TestEnvironments.rolling(NS, "shop", spec -> spec.getApp().setReplicas(2)));
    await().atMost(TIMEOUT).until(() -> deployment("shop") != null);
    markAvailable("shop");
    await().atMost(TIMEOUT).until(() -> inPhase("shop", Phase.Ready));
    awaitQuiet(harness);
    harness.close();
    drainRecordedRequests();

    harness = new MockOperatorHarness(client);
    await().atMost(TIMEOUT).until(() -> harness.successfulReconciles() >= 1);

    List<String> writes =
        drainRecordedRequests().stream()
            .filter(r -> !r.getMethod().equals("GET"))
            .map(r -> r.getMethod() + " " + r.getPath() + " " + r.getBody().readUtf8())
            .toList();
    assertThat(writes).as("writes during a resync of an unchanged environment").isEmpty();
  }

  @Test
  void theEventOfItsOwnStatusWriteWakesNoSecondReconcile() {
    create(TestEnvironments.rolling(NS, "shop", spec -> spec.getApp().setReplicas(2)));
    await().atMost(TIMEOUT).until(() -> deployment("shop") != null);
    markAvailable("shop");
    await().atMost(TIMEOUT).until(() -> inPhase("shop", Phase.Ready));
    awaitQuiet(harness);
    double before = harness.successfulReconciles();

    // The Deployment loses its pods: one event, one reconcile, one status write (not Ready).
    Deployment deployment = deployment("shop");
    deployment.getStatus().setAvailableReplicas(0);
    deployment.getStatus().setReadyReplicas(0);
    client.resource(deployment).updateStatus();
    await().atMost(TIMEOUT).until(() -> !inPhase("shop", Phase.Ready));
    awaitQuiet(harness);

    assertThat(harness.successfulReconciles() - before)
        .as("reconciles after one change of the Deployment: the status write's event is ours")
        .isEqualTo(1);
  }

  /**
   * Waits until no reconcile has finished for a second, so nothing is in flight when the operator
   * stops.
   */
  private static void awaitQuiet(MockOperatorHarness harness) {
    double[] last = {-1};
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              double now = harness.successfulReconciles();
              boolean quiet = now == last[0];
              last[0] = now;
              return quiet;
            });
  }

  private List<RecordedRequest> drainRecordedRequests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request);
    }
    return requests;
  }
}
