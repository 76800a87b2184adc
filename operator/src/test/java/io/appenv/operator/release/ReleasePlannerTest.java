package io.appenv.operator.release;

import static io.appenv.operator.release.ReleaseFixtures.colors;
import static io.appenv.operator.release.ReleaseFixtures.env;
import static io.appenv.operator.release.ReleaseFixtures.running;
import static io.appenv.operator.release.ReleaseFixtures.seen;
import static io.appenv.operator.release.ReleaseFixtures.withDatabaseReady;
import static io.appenv.operator.release.ReleaseFixtures.withJobs;
import static io.appenv.operator.release.ReleaseFixtures.withPods;
import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.events.Reason;
import io.appenv.operator.names.Color;
import io.appenv.operator.observe.ColorState;
import io.appenv.operator.observe.JobState;
import io.appenv.operator.observe.PodLooks;
import io.appenv.operator.observe.Snapshot;
import io.appenv.operator.release.ReleasePlan.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleasePlannerTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  /** v1 promoted on blue at T0, as the status says after the first release. */
  private static AppEnvironment afterFirstRelease(String image) {
    AppEnvironment v1 = env("shop:1");
    ReleasePlan first = ReleasePlanner.plan(v1, seen(colors(running(v1, 2, true), null), T0));
    AppEnvironment next = env(image);
    first.statusFields().writeTo(next.getStatus());
    return next;
  }

  @Test
  void firstReleaseStartsOnBlue() {
    ReleasePlan plan = ReleasePlanner.plan(env("shop:1"), seen(colors(null, null), T0));

    assertThat(plan.stage()).isEqualTo(Stage.PROGRESSING);
    assertThat(plan.deployments()).containsOnlyKeys(Color.BLUE);
    assertThat(plan.deployments().get(Color.BLUE).replicas()).isEqualTo(2);
    assertThat(plan.serving()).isEqualTo(Color.BLUE);
    assertThat(plan.statusFields().activeColor()).isNull();
    assertThat(plan.statusFields().history())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getRevision()).isEqualTo(1L);
              assertThat(r.getResult()).isEqualTo("Progressing");
              assertThat(r.getColor()).isEqualTo("blue");
            });
  }

  @Test
  void theFirstReleaseWaitsForTheDatabaseAndItsDeadlineStartsWhenItStarts() {
    AppEnvironment env = env("shop:1");

    ReleasePlan waiting =
        ReleasePlanner.plan(env, withDatabaseReady(seen(colors(null, null), T0), false));

    assertThat(waiting.stage()).isEqualTo(Stage.WAITING_FOR_DATABASE);
    assertThat(waiting.deployments()).isEmpty();
    assertThat(waiting.statusFields().history()).isEmpty();
    assertThat(waiting.message()).contains("starts once the database accepts connections");

    Instant databaseReady = T0.plus(Duration.ofMinutes(30));
    ReleasePlan started = ReleasePlanner.plan(env, seen(colors(null, null), databaseReady));
    assertThat(started.stage()).isEqualTo(Stage.PROGRESSING);
    assertThat(started.statusFields().history())
        .singleElement()
        .satisfies(r -> assertThat(r.getStartedAt()).isEqualTo(databaseReady.toString()));
  }

  @Test
  void aNewReleaseWaitsForTheDatabaseWhileTheActiveOneKeepsServing() {
    AppEnvironment v2 = afterFirstRelease("shop:2");

    ReleasePlan plan =
        ReleasePlanner.plan(
            v2,
            withDatabaseReady(
                seen(colors(running(env("shop:1"), 2, true), null), T0.plusSeconds(60)), false));

    assertThat(plan.stage()).isEqualTo(Stage.WAITING_FOR_DATABASE);
    assertThat(plan.serving()).isEqualTo(Color.BLUE);
    assertThat(plan.deployments()).containsOnlyKeys(Color.BLUE);
    assertThat(plan.statusFields().history()).hasSize(1);
  }

  @Test
  void aReleaseThatHasStartedCarriesOnWhenTheDatabaseRestarts() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");
    startRelease(v2);

    ReleasePlan plan =
        ReleasePlanner.plan(
            v2,
            withDatabaseReady(seen(colors(running(v1, 2, true), null), T0.plusSeconds(70)), false));

    assertThat(plan.stage()).isEqualTo(Stage.PROGRESSING);
    assertThat(plan.deployments()).containsKeys(Color.BLUE, Color.GREEN);
  }

  @Test
  void aReleaseRemembersTheCommitTimeCiGaveIt() {
    AppEnvironment env = env("shop:1");
    env.getMetadata()
        .setAnnotations(
            java.util.Map.of(ReleaseAnnotations.COMMIT_TIMESTAMP, "2026-11-20T11:00:00+01:00"));

    ReleasePlan plan = ReleasePlanner.plan(env, seen(colors(null, null), T0));

    assertThat(plan.statusFields().history().get(0).getCommitTime())
        .isEqualTo("2026-11-20T10:00:00Z");
    assertThat(plan.notices()).noneMatch(d -> d.warning());
  }

  @Test
  void anInvalidCommitTimeIsAWarningAndIsLeftOut() {
    AppEnvironment env = env("shop:1");
    env.getMetadata()
        .setAnnotations(java.util.Map.of(ReleaseAnnotations.COMMIT_TIMESTAMP, "yesterday"));

    ReleasePlan plan = ReleasePlanner.plan(env, seen(colors(null, null), T0));

    assertThat(plan.statusFields().history().get(0).getCommitTime()).isNull();
    assertThat(plan.notices())
        .anySatisfy(
            d -> {
              assertThat(d.warning()).isTrue();
              assertThat(d.reason()).isEqualTo(Reason.INVALID_COMMIT_TIMESTAMP);
              assertThat(d.message()).contains("yesterday");
            });
  }

  @Test
  void firstReleaseIsPromotedWhenBlueIsAvailable() {
    AppEnvironment v1 = env("shop:1");

    ReleasePlan plan = ReleasePlanner.plan(v1, seen(colors(running(v1, 2, true), null), T0));

    assertThat(plan.stage()).isEqualTo(Stage.STEADY);
    assertThat(plan.statusFields().activeColor()).isEqualTo(Color.BLUE);
    assertThat(plan.statusFields().activeRelease().getRevision()).isEqualTo(1L);
    assertThat(plan.statusFields().activeRelease().getImage()).isEqualTo("shop:1");
    assertThat(plan.statusFields().history().get(0).getResult()).isEqualTo("Succeeded");
    assertThat(plan.notices())
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("revision 1"));
  }

  @Test
  void aNewImageStartsOnTheIdleColourWhileTrafficStays() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");

    ReleasePlan plan =
        ReleasePlanner.plan(v2, seen(colors(running(v1, 2, true), null), T0.plusSeconds(60)));

    assertThat(plan.stage()).isEqualTo(Stage.PROGRESSING);
    assertThat(plan.serving()).isEqualTo(Color.BLUE);
    assertThat(plan.preview()).isEqualTo(Color.GREEN);
    assertThat(plan.deployments().get(Color.BLUE).templateHash())
        .as("blue keeps v1")
        .isEqualTo(running(v1, 2, true).templateHash());
    assertThat(
            plan.deployments()
                .get(Color.GREEN)
                .template()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("shop:2");
    assertThat(plan.deployments().get(Color.GREEN).replicas()).isEqualTo(2);
    assertThat(plan.statusFields().history().get(0).getRevision()).isEqualTo(2L);
    assertThat(plan.recheckAfter()).isNotNull();
  }

  @Test
  void theCandidateIsPromotedWhenAvailableAndTheOldColourStaysWarm() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");
    ReleasePlan starting =
        ReleasePlanner.plan(v2, seen(colors(running(v1, 2, true), null), T0.plusSeconds(60)));
    starting.statusFields().writeTo(v2.getStatus());

    ReleasePlan plan =
        ReleasePlanner.plan(
            v2, seen(colors(running(v1, 2, true), running(v2, 2, true)), T0.plusSeconds(90)));

    assertThat(plan.stage()).isEqualTo(Stage.STEADY);
    assertThat(plan.serving()).isEqualTo(Color.GREEN);
    assertThat(plan.statusFields().activeRelease().getRevision()).isEqualTo(2L);
    assertThat(plan.statusFields().previousRelease().getRevision()).isEqualTo(1L);
    assertThat(plan.deployments().get(Color.BLUE).replicas())
        .as("warm for scaleDownDelay")
        .isEqualTo(2);
    assertThat(plan.recheckAfter())
        .isBetween(Duration.ofMinutes(10), Duration.ofMinutes(10).plusSeconds(1));
  }

  /** v2's release started at T0 + 60 s: green starts next to v1 on blue. */
  private static void startRelease(AppEnvironment v2) {
    ReleasePlanner.plan(v2, seen(colors(running(env("shop:1"), 2, true), null), T0.plusSeconds(60)))
        .statusFields()
        .writeTo(v2.getStatus());
  }

  @Test
  void theOldColourScalesToZeroAfterTheScaleDownDelay() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");
    startRelease(v2);
    ReleasePlanner.plan(
            v2, seen(colors(running(v1, 2, true), running(v2, 2, true)), T0.plusSeconds(90)))
        .statusFields()
        .writeTo(v2.getStatus());

    ReleasePlan later =
        ReleasePlanner.plan(
            v2,
            seen(
                colors(running(v1, 2, true), running(v2, 2, true)),
                T0.plusSeconds(90).plus(Duration.ofMinutes(11))));

    assertThat(later.stage()).isEqualTo(Stage.STEADY);
    assertThat(later.deployments().get(Color.BLUE).replicas()).isZero();
    assertThat(later.deployments().get(Color.GREEN).replicas()).isEqualTo(2);
  }

  @Test
  void aShortScaleDownDelayStillLetsTheOldColourDrain() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    v2.getSpec().getRelease().setScaleDownDelay("1s");
    AppEnvironment v1 = env("shop:1");
    startRelease(v2);
    ReleasePlan promoted =
        ReleasePlanner.plan(
            v2, seen(colors(running(v1, 2, true), running(v2, 2, true)), T0.plusSeconds(90)));
    promoted.statusFields().writeTo(v2.getStatus());
    Map<Color, ColorState> both = colors(running(v1, 2, true), running(v2, 2, true));

    ReleasePlan draining =
        ReleasePlanner.plan(
            v2, seen(both, T0.plusSeconds(90).plus(ReleasePlanner.TRAFFIC_DRAIN).minusSeconds(1)));
    ReleasePlan drained =
        ReleasePlanner.plan(v2, seen(both, T0.plusSeconds(90).plus(ReleasePlanner.TRAFFIC_DRAIN)));

    assertThat(promoted.recheckAfter())
        .as("the drain, and the planner's second of margin")
        .isEqualTo(ReleasePlanner.TRAFFIC_DRAIN.plusSeconds(1));
    assertThat(draining.deployments().get(Color.BLUE).replicas())
        .as("blue still takes the connections it had at the switch")
        .isEqualTo(2);
    assertThat(drained.deployments().get(Color.BLUE).replicas()).isZero();
  }

  @Test
  void withoutAutoPromoteTheReleaseWaitsForTheAnnotation() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    v2.getSpec().getRelease().setAutoPromote(false);
    AppEnvironment v1 = env("shop:1");
    startRelease(v2);

    ReleasePlan waiting =
        ReleasePlanner.plan(
            v2, seen(colors(running(v1, 2, true), running(v2, 2, true)), T0.plusSeconds(90)));
    assertThat(waiting.stage()).isEqualTo(Stage.AWAITING_PROMOTION);
    assertThat(waiting.serving()).isEqualTo(Color.BLUE);
    assertThat(waiting.message())
        .contains("kubectl annotate appenv shop platform.appenv.io/promote=2");

    v2.getMetadata().setAnnotations(Map.of(ReleaseAnnotations.PROMOTE, "2"));
    ReleasePlan promoted =
        ReleasePlanner.plan(
            v2, seen(colors(running(v1, 2, true), running(v2, 2, true)), T0.plusSeconds(95)));
    assertThat(promoted.serving()).isEqualTo(Color.GREEN);
  }

  @Test
  void withMigrationsAReleaseIsPromotedOnlyAfterItsBackupSucceeded() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    v2.getSpec().getRelease().setMigrations(true);
    v2.getSpec().setDatabase(new io.appenv.operator.api.DatabaseSpec());
    AppEnvironment v1 = env("shop:1");
    startRelease(v2);
    var both = colors(running(v1, 2, true), running(v2, 2, true));

    ReleasePlan waiting =
        ReleasePlanner.plan(
            v2,
            withJobs(
                seen(both, T0.plusSeconds(90)), Map.of("shop-prerelease-2", JobState.RUNNING)));
    assertThat(waiting.stage()).isEqualTo(Stage.PROGRESSING);
    assertThat(waiting.serving()).isEqualTo(Color.BLUE);
    assertThat(waiting.backupJob()).isEqualTo("shop-prerelease-2");
    assertThat(waiting.message()).contains("pre-release backup");

    ReleasePlan promoted =
        ReleasePlanner.plan(
            v2,
            withJobs(
                seen(both, T0.plusSeconds(95)), Map.of("shop-prerelease-2", JobState.SUCCEEDED)));
    assertThat(promoted.serving()).isEqualTo(Color.GREEN);
    assertThat(promoted.statusFields().history().get(0).getPreReleaseBackup())
        .isEqualTo("shop-prerelease-2");

    ReleasePlan failed =
        ReleasePlanner.plan(
            v2,
            withJobs(seen(both, T0.plusSeconds(95)), Map.of("shop-prerelease-2", JobState.FAILED)));
    assertThat(failed.stage()).isEqualTo(Stage.FAILED);
    assertThat(failed.serving()).isEqualTo(Color.BLUE);
    assertThat(failed.message()).contains("pre-release backup");
  }

  @Test
  void aReleaseThatMissesTheProgressDeadlineFailsAndTrafficStays() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");
    startRelease(v2);

    ReleasePlan failed =
        ReleasePlanner.plan(
            v2,
            seen(
                colors(running(v1, 2, true), running(v2, 2, false)),
                T0.plusSeconds(60).plus(Duration.ofMinutes(10))));

    assertThat(failed.stage()).isEqualTo(Stage.FAILED);
    assertThat(failed.serving()).isEqualTo(Color.BLUE);
    assertThat(failed.deployments().get(Color.GREEN).replicas()).isZero();
    assertThat(failed.statusFields().history().get(0).getResult()).isEqualTo("Failed");
    failed.statusFields().writeTo(v2.getStatus());

    ReleasePlan later =
        ReleasePlanner.plan(
            v2,
            seen(colors(running(v1, 2, true), running(v2, 2, true)), T0.plus(Duration.ofHours(1))));
    assertThat(later.stage())
        .as("a failed release is not retried until the spec changes")
        .isEqualTo(Stage.FAILED);
    assertThat(later.serving()).isEqualTo(Color.BLUE);
  }

  @Test
  void aReleaseThatCannotStartSaysWhyOnceAndFailsWithTheCauseAtItsDeadline() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");
    String why =
        "pod shop-green-1: container app CreateContainerConfigError: secret \"keys\" not found";
    PodLooks pods = (color, look) -> color == Color.GREEN ? Optional.of(why) : Optional.empty();
    Map<Color, ColorState> starting = colors(running(v1, 2, true), running(v2, 2, false));
    plan(v2, colors(running(v1, 2, true), null), T0.plusSeconds(60), pods)
        .statusFields()
        .writeTo(v2.getStatus());

    assertThat(plan(v2, starting, T0.plusSeconds(70), pods).stage())
        .as("pods are not asked before they had time to start")
        .isEqualTo(Stage.PROGRESSING);

    ReleasePlan stuck = plan(v2, starting, T0.plusSeconds(80), pods);
    assertThat(stuck.stage()).isEqualTo(Stage.CANNOT_START);
    assertThat(stuck.serving()).as("traffic stays").isEqualTo(Color.BLUE);
    assertThat(stuck.message()).isEqualTo("Revision 2 (shop:2) cannot start on green: " + why);
    assertThat(stuck.notices())
        .singleElement()
        .satisfies(n -> assertThat(n.warning()).isTrue())
        .satisfies(n -> assertThat(n.reason()).isEqualTo(Reason.RELEASE_CANNOT_START))
        .satisfies(n -> assertThat(n.message()).isEqualTo(stuck.message()));
    assertThat(stuck.recheckAfter())
        .as("no pod event wakes the reconciler: it looks again at 30 s")
        .isEqualTo(Duration.ofSeconds(11));
    stuck.statusFields().writeTo(v2.getStatus());

    ReleasePlan again = plan(v2, starting, T0.plusSeconds(95), pods);
    assertThat(again.stage()).isEqualTo(Stage.CANNOT_START);
    assertThat(again.notices()).as("the same cause is told once").isEmpty();
    assertThat(again.statusFields()).as("nothing new to write").isEqualTo(stuck.statusFields());

    ReleasePlan failed = plan(v2, starting, T0.plusSeconds(60).plus(Duration.ofMinutes(10)), pods);
    assertThat(failed.stage()).isEqualTo(Stage.FAILED);
    assertThat(failed.serving()).isEqualTo(Color.BLUE);
    assertThat(failed.statusFields().history().get(0).getReason())
        .isEqualTo("not available within the progress deadline of 10m: " + why);
  }

  @Test
  void whenTheCauseGoesAwayTheReleaseCarriesOn() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");
    Map<Color, ColorState> starting = colors(running(v1, 2, true), running(v2, 2, false));
    plan(
            v2,
            colors(running(v1, 2, true), null),
            T0.plusSeconds(60),
            (color, look) -> Optional.empty())
        .statusFields()
        .writeTo(v2.getStatus());
    plan(v2, starting, T0.plusSeconds(80), (color, look) -> Optional.of("pod p: container app X"))
        .statusFields()
        .writeTo(v2.getStatus());

    // The Secret was created: the pods are starting again.
    ReleasePlan resumed = plan(v2, starting, T0.plusSeconds(95), (color, look) -> Optional.empty());
    assertThat(resumed.stage()).isEqualTo(Stage.PROGRESSING);
    assertThat(resumed.statusFields().history().get(0).getReason()).isNull();
    resumed.statusFields().writeTo(v2.getStatus());

    ReleasePlan promoted =
        plan(
            v2,
            colors(running(v1, 2, true), running(v2, 2, true)),
            T0.plusSeconds(120),
            (color, look) -> Optional.of("never asked once available"));
    assertThat(promoted.stage()).isEqualTo(Stage.STEADY);
    assertThat(promoted.statusFields().activeRelease().getRevision()).isEqualTo(2L);
  }

  @Test
  void theReconcilesBetweenTwoLooksAskForTheSameLook() {
    assertThat(ReleasePlanner.lastLook(Duration.ofSeconds(15))).hasSeconds(15);
    assertThat(ReleasePlanner.lastLook(Duration.ofSeconds(29))).hasSeconds(15);
    assertThat(ReleasePlanner.lastLook(Duration.ofSeconds(30))).hasSeconds(30);
    assertThat(ReleasePlanner.lastLook(Duration.ofSeconds(59))).hasSeconds(30);
    assertThat(ReleasePlanner.lastLook(Duration.ofMinutes(5))).hasSeconds(240);

    AppEnvironment v2 = afterFirstRelease("shop:2");
    startRelease(v2);
    Map<Color, ColorState> starting =
        colors(running(env("shop:1"), 2, true), running(v2, 2, false));
    List<Instant> asked = new ArrayList<>();
    PodLooks pods =
        (color, look) -> {
          asked.add(look);
          return Optional.empty();
        };
    for (int age : new int[] {10, 16, 25, 31, 45, 61}) {
      plan(v2, starting, T0.plusSeconds(60 + age), pods);
    }

    Instant started = T0.plusSeconds(60);
    assertThat(asked)
        .as("not before 15 s; then the look each age falls in")
        .containsExactly(
            started.plusSeconds(15),
            started.plusSeconds(15),
            started.plusSeconds(30),
            started.plusSeconds(30),
            started.plusSeconds(60));
  }

  @Test
  void aStuckReleaseIsLookedAtLessAndLessOften() {
    assertThat(ReleasePlanner.untilNextLook(Duration.ZERO)).hasSeconds(15);
    assertThat(ReleasePlanner.untilNextLook(Duration.ofSeconds(15))).hasSeconds(15);
    assertThat(ReleasePlanner.untilNextLook(Duration.ofSeconds(40))).hasSeconds(20);
    assertThat(ReleasePlanner.untilNextLook(Duration.ofMinutes(5))).hasSeconds(180);
  }

  private static ReleasePlan plan(
      AppEnvironment env, Map<Color, ColorState> observed, Instant now, PodLooks whyNotStarting) {
    return ReleasePlanner.plan(env, withPods(seen(observed, now), whyNotStarting));
  }

  @Test
  void aRejectedImageIsNotReleasedAgain() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    v2.getStatus().setRejectedImages(java.util.List.of("shop:2"));

    ReleasePlan plan =
        ReleasePlanner.plan(
            v2, seen(colors(running(env("shop:1"), 2, true), null), T0.plusSeconds(60)));

    assertThat(plan.stage()).isEqualTo(Stage.ROLLED_BACK);
    assertThat(plan.deployments()).doesNotContainKey(Color.GREEN);
    assertThat(plan.serving()).isEqualTo(Color.BLUE);
    assertThat(plan.message()).contains("shop:2");
  }

  @Test
  void planningAgainFromItsOwnStatusKeepsTheSameRevision() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");
    ReleasePlan first =
        ReleasePlanner.plan(v2, seen(colors(running(v1, 2, true), null), T0.plusSeconds(60)));
    first.statusFields().writeTo(v2.getStatus());

    ReleasePlan again =
        ReleasePlanner.plan(
            v2, seen(colors(running(v1, 2, true), running(v2, 2, false)), T0.plusSeconds(61)));

    assertThat(again.statusFields().history()).hasSize(2);
    assertThat(again.statusFields().history().get(0).getRevision()).isEqualTo(2L);
    assertThat(again.statusFields().history().get(0).getStartedAt())
        .isEqualTo(T0.plusSeconds(60).toString());
  }

  /**
   * The reconciler plans once and leaves the watch event of its own status write out: so at every
   * stage, the plan made again from the status it wrote, with the same snapshot, must decide the
   * same. A plan that did not would wait for the next event or recheck to carry on.
   */
  @Test
  void eachStepOfAReleaseIsSettledByTheStatusItWrites() {
    AppEnvironment v1 = env("shop:1");
    AppEnvironment v2 = afterFirstRelease("shop:2");
    Map<Color, ColorState> blueOnly = colors(running(v1, 2, true), null);
    Map<Color, ColorState> both = colors(running(v1, 2, true), running(v2, 2, true));

    assertSettled(env("shop:1"), seen(colors(null, null), T0), Stage.PROGRESSING);
    assertSettled(env("shop:1"), seen(blueOnly, T0), Stage.STEADY);
    assertSettled(v2, seen(blueOnly, T0.plusSeconds(60)), Stage.PROGRESSING);
    assertSettled(
        v2,
        seen(colors(running(v1, 2, true), running(v2, 2, false)), T0.plusSeconds(70)),
        Stage.PROGRESSING);
    assertSettled(v2, seen(both, T0.plusSeconds(90)), Stage.STEADY);
    assertSettled(v2, seen(both, T0.plusSeconds(90).plus(Duration.ofMinutes(11))), Stage.STEADY);
  }

  @Test
  void everyOtherStageIsSettledByTheStatusItWritesToo() {
    AppEnvironment v1 = env("shop:1");
    Map<Color, ColorState> blueOnly = colors(running(v1, 2, true), null);

    // waiting for the database, first release and later
    assertSettled(
        env("shop:1"),
        withDatabaseReady(seen(colors(null, null), T0), false),
        Stage.WAITING_FOR_DATABASE);
    assertSettled(
        afterFirstRelease("shop:2"),
        withDatabaseReady(seen(blueOnly, T0.plusSeconds(60)), false),
        Stage.WAITING_FOR_DATABASE);

    // awaiting a manual promotion, then promoted by the annotation
    AppEnvironment manual = afterFirstRelease("shop:2");
    manual.getSpec().getRelease().setAutoPromote(false);
    startRelease(manual);
    var manualBoth = colors(running(v1, 2, true), running(manual, 2, true));
    assertSettled(manual, seen(manualBoth, T0.plusSeconds(90)), Stage.AWAITING_PROMOTION);
    manual.getMetadata().setAnnotations(Map.of(ReleaseAnnotations.PROMOTE, "2"));
    assertSettled(manual, seen(manualBoth, T0.plusSeconds(100)), Stage.STEADY);

    // cannot start, then failed at its progress deadline
    AppEnvironment stuck = afterFirstRelease("shop:2");
    startRelease(stuck);
    var starting = colors(running(v1, 2, true), running(stuck, 2, false));
    PodLooks pullError = (color, look) -> Optional.of("image shop:2 cannot be pulled");
    assertSettled(
        stuck, withPods(seen(starting, T0.plusSeconds(80)), pullError), Stage.CANNOT_START);
    assertSettled(
        stuck,
        withPods(seen(starting, T0.plusSeconds(60).plus(Duration.ofMinutes(11))), pullError),
        Stage.FAILED);

    // a pre-release backup that runs, then fails
    AppEnvironment migrating = afterFirstRelease("shop:2");
    migrating.getSpec().getRelease().setMigrations(true);
    migrating.getSpec().setDatabase(new io.appenv.operator.api.DatabaseSpec());
    startRelease(migrating);
    var migratingBoth = colors(running(v1, 2, true), running(migrating, 2, true));
    assertSettled(
        migrating,
        withJobs(
            seen(migratingBoth, T0.plusSeconds(90)), Map.of("shop-prerelease-2", JobState.RUNNING)),
        Stage.PROGRESSING);
    assertSettled(
        migrating,
        withJobs(
            seen(migratingBoth, T0.plusSeconds(95)), Map.of("shop-prerelease-2", JobState.FAILED)),
        Stage.FAILED);

    // rolled back by the annotation, and the rejected image it leaves in the spec
    AppEnvironment v2 = afterFirstRelease("shop:2");
    startRelease(v2);
    var both = colors(running(v1, 2, true), running(v2, 2, true));
    ReleasePlanner.plan(v2, seen(both, T0.plusSeconds(90))).statusFields().writeTo(v2.getStatus());
    v2.getMetadata().setAnnotations(Map.of(ReleaseAnnotations.ROLLBACK, "2"));
    assertSettled(v2, seen(both, T0.plusSeconds(95)), Stage.ROLLED_BACK);
    assertSettled(
        v2, seen(both, T0.plusSeconds(95).plus(ReleasePlanner.TRAFFIC_DRAIN)), Stage.ROLLED_BACK);
  }

  /** Plans, writes the plan's status fields as the reconciler does, and plans again. */
  private static void assertSettled(AppEnvironment env, Snapshot seen, Stage stage) {
    ReleasePlan plan = ReleasePlanner.plan(env, seen);
    assertThat(plan.stage()).as("planned at %s", seen.at()).isEqualTo(stage);
    plan.statusFields().writeTo(env.getStatus());

    ReleasePlan again = ReleasePlanner.plan(env, seen);

    assertThat(decidesAlike(again, plan))
        .as("planned again at %s (%s)", seen.at(), plan.stage())
        .isTrue();
  }

  @Test
  void plansDecideAlikeWhateverTheirNoticesAndTimings() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    Map<Color, ColorState> blueOnly = colors(running(env("shop:1"), 2, true), null);
    ReleasePlan starting = ReleasePlanner.plan(v2, seen(blueOnly, T0.plusSeconds(60)));
    ReleasePlan quieter =
        new ReleasePlan(
            starting.deployments(),
            starting.serving(),
            starting.preview(),
            starting.stage(),
            "another message",
            starting.statusFields(),
            java.util.List.of(),
            Duration.ofHours(1),
            starting.backupJob());
    ReleasePlan elsewhere =
        new ReleasePlan(
            starting.deployments(),
            Color.GREEN,
            starting.preview(),
            starting.stage(),
            starting.message(),
            starting.statusFields(),
            starting.notices(),
            starting.recheckAfter(),
            starting.backupJob());

    assertThat(decidesAlike(starting, quieter)).isTrue();
    assertThat(decidesAlike(starting, elsewhere)).as("traffic on another colour").isFalse();
  }

  @Test
  void revertingTheSpecToTheActiveReleaseSupersedesTheCandidate() {
    AppEnvironment v2 = afterFirstRelease("shop:2");
    AppEnvironment v1 = env("shop:1");
    startRelease(v2);
    AppEnvironment back = env("shop:1");
    back.setStatus(v2.getStatus());

    ReleasePlan plan =
        ReleasePlanner.plan(
            back, seen(colors(running(v1, 2, true), running(v2, 2, false)), T0.plusSeconds(70)));

    assertThat(plan.stage()).isEqualTo(Stage.STEADY);
    assertThat(plan.statusFields().history().get(0).getResult()).isEqualTo("Superseded");
    assertThat(plan.serving()).isEqualTo(Color.BLUE);
  }

  @Test
  void historyIsBounded() {
    AppEnvironment env = afterFirstRelease("shop:1");
    for (int i = 2; i < 30; i++) {
      AppEnvironment next = env("shop:" + i);
      next.setStatus(env.getStatus());
      ReleasePlanner.plan(
              next, seen(colors(running(env("shop:1"), 2, true), null), T0.plusSeconds(i)))
          .statusFields()
          .writeTo(next.getStatus());
      env = next;
    }
    assertThat(env.getStatus().getHistory()).hasSize(ReleasePlanner.HISTORY_LIMIT);
    assertThat(env.getStatus().getHistory())
        .extracting(ReleaseRecord::getRevision)
        .first()
        .isEqualTo(29L);
  }

  /**
   * Whether two plans make the same Deployments, Services, backup Job and status fields: their
   * notices, message and recheck time aside, which move with the clock.
   */
  private static boolean decidesAlike(ReleasePlan one, ReleasePlan other) {
    return one.deployments().equals(other.deployments())
        && one.serving() == other.serving()
        && one.preview() == other.preview()
        && one.stage() == other.stage()
        && one.statusFields().equals(other.statusFields())
        && java.util.Objects.equals(one.backupJob(), other.backupJob());
  }
}
