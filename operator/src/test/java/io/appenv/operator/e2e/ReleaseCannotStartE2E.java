package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppSpec;
import io.appenv.operator.api.ComputeResources;
import io.appenv.operator.api.Condition;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.KeyReference;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Releases of the dev sample that cannot start, on the container-running node: each cause (a
 * missing Secret key, an image that cannot be pulled, a crash loop, no node that fits) is named in
 * the status and in a Warning Event while traffic stays on the release that serves; a release that
 * never starts fails at its progress deadline. Reverting the spec brings the environment back.
 */
@Tag("e2e")
// After RealNodeE2E, on the samples it leaves running (see RealNodeE2E).
@Order(Order.DEFAULT + 3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseCannotStartE2E {
  private static final String NS = "telemetry-dev";
  private static final String NAME = "telemetry";
  private static KubernetesClient client;
  private static AppEnvironment original;
  private static String serving;

  @BeforeAll
  static void devSampleReady() {
    client = RealNodeCluster.client();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> environment().getStatus().getPhase() == Phase.Ready);
    original = environment();
    serving = servingColor();
  }

  @AfterAll
  static void revert() {
    if (original != null) {
      apply(spec -> {});
    }
  }

  @Test
  @Order(1)
  void aMissingSecretKeyIsNamedOnceAndTheEnvironmentStaysQuiet() throws Exception {
    String why =
        waitForCause(
            app -> {
              List<EnvVarSpec> env = new ArrayList<>();
              for (EnvVarSpec var : app.getEnv()) {
                if (var.getSecretKeyRef() != null) {
                  KeyReference missing = new KeyReference();
                  missing.setName(var.getSecretKeyRef().getName());
                  missing.setKey("no-such-key");
                  var.setSecretKeyRef(missing);
                }
                env.add(var);
              }
              app.setEnv(env);
            },
            "CreateContainerConfigError: couldn't find key no-such-key in Secret "
                + NS
                + "/telemetry-api-keys");

    // Nothing new observed, nothing written: no status write and no Event repeat over the
    // reconciler's next look at the pods (the cause was found at an age t under 60 s; the next
    // look is at 2t).
    String version = environment().getMetadata().getResourceVersion();
    int told = warnings(why).stream().mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    Thread.sleep(Duration.ofSeconds(65).toMillis());
    assertThat(environment().getMetadata().getResourceVersion())
        .as("the AppEnvironment after 65 s in the same state")
        .isEqualTo(version);
    assertThat(warnings(why).stream().mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum())
        .as("the Warning, told once")
        .isEqualTo(told);
  }

  @Test
  @Order(2)
  void anImageThatCannotBePulledIsNamed() {
    // A registry on loopback where nothing listens: the pull fails at once, and never leaves here.
    waitForCause(
        app -> app.setImage("127.0.0.1:1/appenv/telemetry:missing"),
        "cannot pull its image 127.0.0.1:1/appenv/telemetry:missing");
  }

  @Test
  @Order(3)
  void aPodNoNodeFitsIsNamedWithTheSchedulersWords() {
    waitForCause(
        app -> {
          ComputeResources requests = new ComputeResources();
          requests.setCpu("64");
          requests.setMemory("256Mi");
          app.getResources().setRequests(requests);
        },
        "cannot be scheduled: 0/");
    assertThat(condition(ConditionType.PROGRESSING).getMessage()).contains("Insufficient cpu");
  }

  @Test
  @Order(4)
  void aCrashLoopIsNamedWithTheLastExit() {
    waitForCause(
        ReleaseCannotStartE2E::crashAtStart,
        "keeps crashing (CrashLoopBackOff), last exit code 1 (Error)");
  }

  @Test
  @Order(5)
  void aReleaseThatNeverStartsFailsAtItsProgressDeadlineAndTrafficNeverMoves() {
    apply(
        spec -> {
          crashAtStart(spec.getApp());
          spec.getRelease().setProgressDeadline("1m");
        });
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              assertThat(servingColor()).as("traffic").isEqualTo(serving);
              return "ReleaseFailed".equals(condition(ConditionType.DEGRADED).getReason());
            });
    AppEnvironment failed = environment();
    ReleaseRecord record = failed.getStatus().getHistory().get(0);
    assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(record.getResult()).isEqualTo("Failed");
    assertThat(record.getReason())
        .startsWith("not available within the progress deadline of 1m: ")
        .contains("keeps crashing");
    // Progressing turned False when the release failed (Degraded was True since the cause showed).
    assertThat(
            Instant.parse(condition(ConditionType.PROGRESSING).getLastTransitionTime())
                .plusSeconds(1))
        .as("failed at the deadline, not before")
        .isAfterOrEqualTo(Instant.parse(record.getStartedAt()).plusSeconds(60));
  }

  @Test
  @Order(6)
  void revertingTheSpecMakesTheEnvironmentReadyAgain() {
    apply(spec -> {});
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> environment().getStatus().getPhase() == Phase.Ready);
    assertThat(servingColor()).isEqualTo(serving);
  }

  /** The JVM refuses to start with a 1 MiB heap: exit code 1 at once, again at every restart. */
  private static void crashAtStart(AppSpec app) {
    List<EnvVarSpec> env = new ArrayList<>(app.getEnv());
    env.add(EnvVarSpec.literal("JDK_JAVA_OPTIONS", "-Xmx1m"));
    app.setEnv(env);
  }

  /**
   * Applies the original spec with {@code change} to its app, then waits until the status names the
   * cause: Progressing and Degraded with reason ReleaseCannotStart, a Warning Event with the same
   * words, and the Service on the colour that served before all along.
   */
  private static String waitForCause(Consumer<AppSpec> change, String cause) {
    apply(spec -> change.accept(spec.getApp()));
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(servingColor()).as("traffic").isEqualTo(serving);
              Condition progressing = condition(ConditionType.PROGRESSING);
              assertThat(progressing.getReason()).isEqualTo("ReleaseCannotStart");
              assertThat(progressing.getMessage()).contains(cause);
            });
    Condition degraded = condition(ConditionType.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("ReleaseCannotStart");
    String message = condition(ConditionType.PROGRESSING).getMessage();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(warnings(message)).as("Warning Event").isNotEmpty());
    return message;
  }

  private static AppEnvironment apply(Consumer<io.appenv.operator.api.AppEnvironmentSpec> change) {
    AppEnvironment env = Serialization.clone(original);
    change.accept(env.getSpec());
    return RealNodeCluster.applyAs("release-cannot-start-e2e", env);
  }

  private static List<Event> warnings(String message) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()))
        .filter(e -> "ReleaseCannotStart".equals(e.getReason()))
        .filter(e -> NAME.equals(e.getInvolvedObject().getName()))
        .filter(e -> message.equals(e.getMessage()))
        .toList();
  }

  private static AppEnvironment environment() {
    return client.resources(AppEnvironment.class).inNamespace(NS).withName(NAME).get();
  }

  private static Condition condition(String type) {
    return environment().getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static String servingColor() {
    return client
        .services()
        .inNamespace(NS)
        .withName(NAME)
        .get()
        .getSpec()
        .getSelector()
        .get("platform.appenv.io/color");
  }
}
