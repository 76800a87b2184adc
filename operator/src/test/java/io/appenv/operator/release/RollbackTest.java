package io.appenv.operator.release;

import static io.appenv.operator.release.ReleaseFixtures.availableSince;
import static io.appenv.operator.release.ReleaseFixtures.colors;
import static io.appenv.operator.release.ReleaseFixtures.env;
import static io.appenv.operator.release.ReleaseFixtures.running;
import static io.appenv.operator.release.ReleaseFixtures.seen;
import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Severity;
import io.appenv.operator.events.Reason;
import io.appenv.operator.names.AlertLabels;
import io.appenv.operator.names.Color;
import io.appenv.operator.observe.ColorState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rollback decision and what a rollback does to the release book and the next plan. */
class RollbackTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant PROMOTED_V2 = T0.plusSeconds(90);

  /** v1 on blue, then v2 promoted on green at PROMOTED_V2 with blue still warm. */
  private static AppEnvironment v2Promoted() {
    AppEnvironment v1 = env("shop:1");
    AppEnvironment v2 = env("shop:2");
    ReleasePlanner.plan(v1, seen(colors(running(v1, 2, true), null), T0))
        .statusFields()
        .writeTo(v2.getStatus());
    ReleasePlanner.plan(v2, seen(colors(running(v1, 2, true), null), T0.plusSeconds(60)))
        .statusFields()
        .writeTo(v2.getStatus());
    ReleasePlanner.plan(v2, seen(colors(running(v1, 2, true), running(v2, 2, true)), PROMOTED_V2))
        .statusFields()
        .writeTo(v2.getStatus());
    return v2;
  }

  /**
   * As Prometheus sends it with enforcedNamespaceLabel: the rule's own namespace in `namespace`.
   */
  private static Alert firing(Instant startsAt) {
    return firingFrom("shop-prod", startsAt);
  }

  private static Alert firingFrom(String ruleNamespace, Instant startsAt) {
    Map<String, String> labels =
        new java.util.HashMap<>(
            Map.of(
                "alertname",
                "HighErrorRate",
                "severity",
                "critical",
                AlertLabels.ROLLBACK,
                "true",
                AlertLabels.NAMESPACE,
                "shop-prod",
                AlertLabels.NAME,
                "shop"));
    if (ruleNamespace != null) {
      labels.put(AlertLabels.ORIGIN_NAMESPACE, ruleNamespace);
    }
    return new Alert("firing", labels, startsAt, "f1");
  }

  @Test
  void anAlertFromAnotherNamespaceRollsNothingBack() {
    Instant during = PROMOTED_V2.plusSeconds(30);

    RollbackDecision foreign =
        RollbackDecider.decide(
            firingFrom("team-b", during), v2Promoted(), during, AlertLabels.ORIGIN_NAMESPACE);
    RollbackDecision unknown =
        RollbackDecider.decide(
            firingFrom(null, during), v2Promoted(), during, AlertLabels.ORIGIN_NAMESPACE);

    assertThat(foreign.rollBack()).isFalse();
    assertThat(foreign.reason()).contains("comes from namespace team-b, not from shop-prod");
    assertThat(unknown.rollBack()).isFalse();
    assertThat(unknown.reason()).contains("no label namespace");
  }

  @Test
  void withTheOriginCheckOffAnyAlertNamingTheEnvironmentCounts() {
    Instant during = PROMOTED_V2.plusSeconds(30);

    assertThat(
            RollbackDecider.decide(firingFrom(null, during), v2Promoted(), during, "").rollBack())
        .isTrue();
  }

  @Test
  void aFiringRollbackAlertDuringTheWindowRollsBack() {
    RollbackDecision decision =
        RollbackDecider.decide(
            firing(PROMOTED_V2.plusSeconds(30)),
            v2Promoted(),
            PROMOTED_V2.plusSeconds(40),
            AlertLabels.ORIGIN_NAMESPACE);

    assertThat(decision.rollBack()).isTrue();
    assertThat(decision.reason()).contains("HighErrorRate").contains("revision 2");
  }

  static Stream<Arguments> ignoredAlerts() {
    Instant during = PROMOTED_V2.plusSeconds(30);
    return Stream.of(
        Arguments.of(
            "resolved", new Alert("resolved", firing(during).labels(), during, "f"), "not firing"),
        Arguments.of(
            "not a rollback alert",
            new Alert("firing", Map.of("alertname", "X", "severity", "critical"), during, "f"),
            "not labelled"),
        Arguments.of(
            "below minimum severity",
            new Alert(
                "firing",
                Map.of("alertname", "X", "severity", "warning", AlertLabels.ROLLBACK, "true"),
                during,
                "f"),
            "below critical"),
        Arguments.of(
            "started before the release", firing(PROMOTED_V2.minusSeconds(5)), "started before"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ignoredAlerts")
  void alertsThatDoNotRollBack(String name, Alert alert, String reason) {
    RollbackDecision decision =
        RollbackDecider.decide(
            alert, v2Promoted(), PROMOTED_V2.plusSeconds(40), AlertLabels.ORIGIN_NAMESPACE);

    assertThat(decision.rollBack()).isFalse();
    assertThat(decision.reason()).contains(reason);
  }

  @Test
  void unknownEnvironmentDoesNotRollBack() {
    assertThat(
            RollbackDecider.decide(
                    firing(PROMOTED_V2), null, PROMOTED_V2, AlertLabels.ORIGIN_NAMESPACE)
                .reason())
        .contains("no AppEnvironment");
  }

  @Test
  void afterTheVerificationWindowNothingRollsBack() {
    RollbackDecision decision =
        RollbackDecider.decide(
            firing(PROMOTED_V2.plusSeconds(3600)),
            v2Promoted(),
            PROMOTED_V2.plus(Duration.ofMinutes(31)),
            AlertLabels.ORIGIN_NAMESPACE);

    assertThat(decision.reason()).contains("verification window");
  }

  @Test
  void theFirstReleaseHasNothingToGoBackTo() {
    AppEnvironment v1 = env("shop:1");
    ReleasePlanner.plan(v1, seen(colors(running(v1, 2, true), null), T0))
        .statusFields()
        .writeTo(v1.getStatus());

    assertThat(
            RollbackDecider.decide(
                    firing(T0.plusSeconds(5)), v1, T0.plusSeconds(6), AlertLabels.ORIGIN_NAMESPACE)
                .reason())
        .contains("no previous good release");
  }

  @Test
  void rollbackOffOrTooSevereForTheSettingsDoesNothing() {
    AppEnvironment off = v2Promoted();
    off.getSpec().getRelease().getRollback().setOnAlerts(false);
    assertThat(
            RollbackDecider.decide(
                    firing(PROMOTED_V2.plusSeconds(1)),
                    off,
                    PROMOTED_V2.plusSeconds(2),
                    AlertLabels.ORIGIN_NAMESPACE)
                .rollBack())
        .isFalse();

    AppEnvironment strict = v2Promoted();
    strict.getSpec().getRelease().getRollback().setMinSeverity(Severity.CRITICAL);
    assertThat(
            RollbackDecider.decide(
                    firing(PROMOTED_V2.plusSeconds(1)),
                    strict,
                    PROMOTED_V2.plusSeconds(2),
                    AlertLabels.ORIGIN_NAMESPACE)
                .rollBack())
        .isTrue();
  }

  @Test
  void aRollbackRestoresThePreviousReleaseAndRejectsTheImage() {
    AppEnvironment v2 = v2Promoted();
    Instant alertStart = PROMOTED_V2.plusSeconds(30);

    ReleaseBook.rolledBack(
            v2.getStatus(), "alert HighErrorRate", alertStart, alertStart.plusMillis(1500))
        .writeTo(v2.getStatus());

    assertThat(v2.getStatus().getActiveColor()).isEqualTo("blue");
    assertThat(v2.getStatus().getActiveRelease().getRevision()).isEqualTo(1L);
    assertThat(v2.getStatus().getPreviousRelease()).isNull();
    assertThat(v2.getStatus().getRejectedImages()).containsExactly("shop:2");
    assertThat(v2.getStatus().getHistory().get(0))
        .satisfies(
            r -> {
              assertThat(r.getResult()).isEqualTo("RolledBack");
              assertThat(r.getTimeToRestoreSeconds()).isEqualTo(1.5);
            });
    assertThat(
            RollbackDecider.decide(
                    firing(alertStart), v2, alertStart.plusSeconds(2), AlertLabels.ORIGIN_NAMESPACE)
                .rollBack())
        .as("a duplicate alert finds nothing more to roll back")
        .isFalse();
  }

  @Test
  void afterAWarmRollbackTrafficStaysOnTheRestoredColourAndTheBadOneScalesDownOnceDrained() {
    AppEnvironment v2 = v2Promoted();
    Instant switched = PROMOTED_V2.plusSeconds(1);
    ReleaseBook.rolledBack(v2.getStatus(), "alert", PROMOTED_V2, switched).writeTo(v2.getStatus());
    var observed = colors(running(env("shop:1"), 2, true), running(v2, 2, true));

    ReleasePlan draining = ReleasePlanner.plan(v2, seen(observed, switched.plusSeconds(1)));
    ReleasePlan drained =
        ReleasePlanner.plan(v2, seen(observed, switched.plus(ReleasePlanner.TRAFFIC_DRAIN)));

    assertThat(draining.stage()).isEqualTo(ReleasePlan.Stage.ROLLED_BACK);
    assertThat(draining.serving()).isEqualTo(Color.BLUE);
    assertThat(draining.deployments().get(Color.GREEN).replicas())
        .as("connections kube-proxy still routes to the bad colour find it there")
        .isEqualTo(2);
    assertThat(draining.recheckAfter())
        .as("the 9 s left, and the planner's second of margin")
        .isEqualTo(ReleasePlanner.TRAFFIC_DRAIN);
    assertThat(drained.serving()).isEqualTo(Color.BLUE);
    assertThat(drained.deployments().get(Color.GREEN).replicas()).isZero();
    assertThat(drained.deployments().get(Color.BLUE).replicas()).isEqualTo(2);
    assertThat(drained.message()).contains("Revision 2 (shop:2) was rolled back");
  }

  @Test
  void afterAColdRollbackTheBadColourServesUntilTheRestoredOneIsAvailable() {
    AppEnvironment v2 = v2Promoted();
    Instant alertStart = PROMOTED_V2.plusSeconds(1);
    // Cold: the webhook records the decision; traffic has not moved yet.
    ReleaseBook.rolledBack(v2.getStatus(), "alert", alertStart, null).writeTo(v2.getStatus());
    ColorState blueScaledDown = running(env("shop:1"), 0, true);

    ReleasePlan plan =
        ReleasePlanner.plan(
            v2, seen(colors(blueScaledDown, running(v2, 2, true)), PROMOTED_V2.plusSeconds(2)));
    plan.statusFields().writeTo(v2.getStatus());

    assertThat(plan.deployments().get(Color.BLUE).replicas()).as("scaled back up").isEqualTo(2);
    assertThat(plan.serving())
        .as("no traffic to Pods that are not there yet")
        .isEqualTo(Color.GREEN);
    assertThat(plan.deployments().get(Color.GREEN).replicas()).isEqualTo(2);
    assertThat(v2.getStatus().getHistory().get(0))
        .as("not restored yet")
        .satisfies(
            r -> {
              assertThat(r.getResult()).isEqualTo("RolledBack");
              assertThat(r.getAlertStartedAt()).isEqualTo(alertStart.toString());
              assertThat(r.getRolledBackAt()).isNull();
              assertThat(r.getTimeToRestoreSeconds()).isNull();
            });

    // The restored colour turns available 30 s later: traffic moves, the bad colour drains first.
    Instant available = PROMOTED_V2.plusSeconds(32);
    Instant switched = available.plusSeconds(1);
    var restored = colors(availableSince(env("shop:1"), 2, available), running(v2, 2, true));
    ReleasePlan switching = ReleasePlanner.plan(v2, seen(restored, switched));
    switching.statusFields().writeTo(v2.getStatus());
    ReleasePlan draining =
        ReleasePlanner.plan(
            v2, seen(restored, switched.plus(ReleasePlanner.TRAFFIC_DRAIN).minusMillis(1)));
    ReleasePlan drained =
        ReleasePlanner.plan(v2, seen(restored, switched.plus(ReleasePlanner.TRAFFIC_DRAIN)));

    assertThat(switching.serving()).isEqualTo(Color.BLUE);
    assertThat(switching.deployments().get(Color.GREEN).replicas()).isEqualTo(2);
    assertThat(v2.getStatus().getHistory().get(0))
        .as("the time to restore ends when traffic moves, not at the decision")
        .satisfies(
            r -> {
              assertThat(r.getRolledBackAt()).isEqualTo(switched.toString());
              assertThat(r.getTimeToRestoreSeconds()).isEqualTo(32.0);
            });
    assertThat(draining.deployments().get(Color.GREEN).replicas()).isEqualTo(2);
    assertThat(draining.statusFields().history().get(0).getRolledBackAt())
        .as("stamped once")
        .isEqualTo(switched.toString());
    assertThat(drained.deployments().get(Color.GREEN).replicas()).isZero();
  }

  @Test
  void theRollbackAnnotationOnTheActiveRevisionRollsBackByHand() {
    AppEnvironment v2 = v2Promoted();
    v2.getMetadata().setAnnotations(Map.of(ReleaseAnnotations.ROLLBACK, "2"));

    ReleasePlan plan =
        ReleasePlanner.plan(
            v2,
            seen(
                colors(running(env("shop:1"), 2, true), running(v2, 2, true)),
                PROMOTED_V2.plusSeconds(5)));

    assertThat(plan.stage()).isEqualTo(ReleasePlan.Stage.ROLLED_BACK);
    assertThat(plan.serving()).isEqualTo(Color.BLUE);
    assertThat(plan.statusFields().rejectedImages()).containsExactly("shop:2");
    assertThat(plan.notices())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).isEqualTo(Reason.ROLLED_BACK));
    assertThat(plan.statusFields().history().get(0))
        .as("blue was warm: traffic moved in this reconcile; no alert, no time to restore")
        .satisfies(
            r -> {
              assertThat(r.getRolledBackAt()).isEqualTo(PROMOTED_V2.plusSeconds(5).toString());
              assertThat(r.getTimeToRestoreSeconds()).isNull();
            });
    plan.statusFields().writeTo(v2.getStatus());

    ReleasePlan again =
        ReleasePlanner.plan(
            v2,
            seen(
                colors(running(env("shop:1"), 2, true), running(v2, 0, true)),
                PROMOTED_V2.plusSeconds(6)));
    assertThat(again.notices()).as("the annotation no longer names the active revision").isEmpty();
  }

  @Test
  void theHourlyLimitStopsFurtherRollbacks() {
    AppEnvironment v2 = v2Promoted();
    v2.getSpec().getRelease().getRollback().setMaxPerHour(1);
    v2.getStatus().getHistory().get(1).setRolledBackAt(PROMOTED_V2.minusSeconds(600).toString());

    assertThat(
            RollbackDecider.decide(
                    firing(PROMOTED_V2.plusSeconds(1)),
                    v2,
                    PROMOTED_V2.plusSeconds(2),
                    AlertLabels.ORIGIN_NAMESPACE)
                .reason())
        .contains("rate limit");
  }
}
