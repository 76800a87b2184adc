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
import io.appenv.operator.events.Reason;
import io.appenv.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Releases of the dev sample that cannot start, on the container-running node: each cause (a
 * missing Secret key, an image that cannot be pulled, a crash loop, no node that fits) is named in
 * the status and in a Warning Event while traffic stays on the release that serves; a release that
 * never starts fails at its progress deadline. Reverting the spec brings the environment back. Each
 * test applies the original spec with its own change, whatever the one before left, so they need no
 * order.
 */
@Tag("e2e")
// After RealNodeE2E, on the samples it leaves running (see RealNodeE2E).
@Order(Order.DEFAULT + 3)
class ReleaseCannotStartE2E {
  private static final String NS = "telemetry-dev";
  private static final String NAME = "telemetry";
  private static final String CANNOT_START = Reason.RELEASE_CANNOT_START.value();
  private static KubernetesClient client;
  private static LiveEnvironment dev;
  private static AppEnvironment original;
  private static String serving;

  @BeforeAll
  static void devSampleReady() {
    client = RealNodeCluster.client();
    dev = new LiveEnvironment(client, NS, NAME);
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> dev.phase() == Phase.Ready);
    original = dev.get();
    serving = dev.servingColor();
  }

  @AfterAll
  static void revert() {
    if (original != null) {
      apply(spec -> {});
    }
  }

  @Test
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
    Steady.unchanged(
        Duration.ofSeconds(65),
        "the AppEnvironment's resourceVersion and the Warning's count (told once) in the same state",
        () ->
            Map.of(
                "resourceVersion",
                String.valueOf(dev.get().getMetadata().getResourceVersion()),
                "warnings told",
                warnings(why).stream()
                    .mapToInt(e -> e.getCount() == null ? 1 : e.getCount())
                    .sum()));
  }

  @Test
  void anImageThatCannotBePulledIsNamed() {
    waitForCause(ReleaseCannotStartE2E::unpullable, "cannot pull its image " + UNPULLABLE);
  }

  @Test
  void aPodNoNodeFitsIsNamedWithTheSchedulersWords() {
    waitForCause(
        app -> {
          ComputeResources requests = new ComputeResources();
          requests.setCpu("64");
          requests.setMemory("256Mi");
          app.getResources().setRequests(requests);
        },
        "cannot be scheduled: 0/");
    assertThat(dev.condition(ConditionType.PROGRESSING))
        .hasValueSatisfying(c -> assertThat(c.getMessage()).contains("Insufficient cpu"));
  }

  @Test
  void aCrashLoopIsNamedWithTheLastExit() {
    waitForCause(
        ReleaseCannotStartE2E::crashAtStart,
        "keeps crashing (CrashLoopBackOff), last exit code 1 (Error)");
  }

  @Test
  void aReleaseThatNeverStartsFailsAtItsProgressDeadlineAndTrafficNeverMoves() {
    apply(
        spec -> {
          crashAtStart(spec.getApp());
          // A pod template of its own: a template whose release failed is never started again, and
          // the crash loop test's release must start whichever test runs first.
          List<EnvVarSpec> env = new ArrayList<>(spec.getApp().getEnv());
          env.add(EnvVarSpec.literal("RELEASE_CANNOT_START_E2E", "progress-deadline"));
          spec.getApp().setEnv(env);
          spec.getRelease().setProgressDeadline("1m");
        });
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              // Thrown here, this ends the wait at once: traffic never moves.
              assertThat(dev.servingColor()).as("traffic").isEqualTo(serving);
              return dev.condition(ConditionType.DEGRADED)
                  .map(Condition::getReason)
                  .filter(Reason.RELEASE_FAILED.value()::equals)
                  .isPresent();
            });
    AppEnvironment failed = dev.get();
    ReleaseRecord record = failed.getStatus().getHistory().get(0);
    assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(record.getResult()).isEqualTo("Failed");
    assertThat(record.getReason())
        .startsWith("not available within the progress deadline of 1m: ")
        .contains("keeps crashing");
    // Progressing turned False when the release failed (Degraded was True since the cause showed).
    assertThat(
            Instant.parse(
                    LiveEnvironment.condition(failed, ConditionType.PROGRESSING)
                        .orElseThrow()
                        .getLastTransitionTime())
                .plusSeconds(1))
        .as("failed at the deadline, not before")
        .isAfterOrEqualTo(Instant.parse(record.getStartedAt()).plusSeconds(60));
  }

  @Test
  void revertingTheSpecMakesTheEnvironmentReadyAgain() {
    waitForCause(ReleaseCannotStartE2E::unpullable, "cannot pull its image " + UNPULLABLE);

    apply(spec -> {});
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> dev.phase() == Phase.Ready);
    assertThat(dev.servingColor()).isEqualTo(serving);
  }

  /**
   * A registry on loopback where nothing listens: the pull fails at once, and never leaves here.
   */
  private static final String UNPULLABLE = "127.0.0.1:1/appenv/telemetry:missing";

  private static void unpullable(AppSpec app) {
    app.setImage(UNPULLABLE);
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
              assertThat(dev.servingColor()).as("traffic").isEqualTo(serving);
              assertThat(dev.condition(ConditionType.PROGRESSING))
                  .hasValueSatisfying(
                      progressing -> {
                        assertThat(progressing.getReason()).isEqualTo(CANNOT_START);
                        assertThat(progressing.getMessage()).contains(cause);
                      });
            });
    assertThat(dev.has(ConditionType.DEGRADED, true, CANNOT_START))
        .as("Degraded: " + dev.condition(ConditionType.DEGRADED))
        .isTrue();
    String message = dev.condition(ConditionType.PROGRESSING).orElseThrow().getMessage();
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
        .filter(e -> CANNOT_START.equals(e.getReason()))
        .filter(e -> NAME.equals(e.getInvolvedObject().getName()))
        .filter(e -> message.equals(e.getMessage()))
        .toList();
  }
}
