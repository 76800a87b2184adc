package io.appenv.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.writers.Writers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class OperatorFactoryTest {
  KubernetesClient client;

  /** JOSDK's default would System.exit(1): this test JVM would die instead of passing. */
  @Test
  void aFailedInformerIsReportedNotAnExit() {
    AtomicInteger reported = new AtomicInteger();
    Operator operator =
        OperatorFactory.create(
            client,
            new SimpleMeterRegistry(),
            OperatorTestSupport.properties(List.of(), false),
            Clock.systemUTC(),
            new LeaderState(true),
            reported::incrementAndGet,
            Writers.of(client, false));
    var handler = operator.getConfigurationService().getInformerStoppedHandler().orElseThrow();

    handler.onStop(null, null);
    assertThat(reported).as("a normal stop").hasValue(0);
    handler.onStop(null, new IllegalStateException("Client already closed"));
    assertThat(reported).hasValue(1);
  }

  @Test
  void aLostLeaseEndsTheProcessButAStopThatGivesTheLeaseUpDoesNot() {
    AtomicInteger exits = new AtomicInteger();
    LeaderState leader = new LeaderState(false);
    LeaderCallbacks callbacks =
        OperatorFactory.leaderCallbacks(leader, noPod(), true, exits::incrementAndGet);

    callbacks.onStartLeading();
    assertThat(leader.isLeader()).isTrue();
    callbacks.onStopLeading();
    assertThat(leader.isLeader()).isFalse();
    assertThat(exits).as("the Lease was lost while running").hasValue(1);

    callbacks.onStartLeading();
    leader.stopping();
    callbacks.onStopLeading();
    assertThat(leader.isLeader()).isFalse();
    assertThat(exits).as("System.exit inside the shutdown hook would block for ever").hasValue(1);
  }

  @Test
  void exitOnLostLeadershipFalseNeverExits() {
    AtomicInteger exits = new AtomicInteger();
    OperatorFactory.leaderCallbacks(new LeaderState(true), noPod(), false, exits::incrementAndGet)
        .onStopLeading();
    assertThat(exits).hasValue(0);
  }

  /**
   * JOSDK's exit would run inside Operator.stop(), from the shutdown hook: it is off, the callbacks
   * decide.
   */
  @Test
  void stoppingTheOperatorMarksTheLeaseAsGivenUpAndJosdkNeverExitsItself() {
    LeaderState leader = new LeaderState(false);
    OperatorProperties properties =
        new OperatorProperties(
            List.of(),
            new OperatorProperties.LeaderElection(
                true, "appenv-operator", "default", "test", Duration.ofSeconds(15), true),
            true);
    Operator operator =
        OperatorFactory.create(
            client,
            new SimpleMeterRegistry(),
            properties,
            Clock.systemUTC(),
            leader,
            () -> {},
            Writers.of(client, true));
    assertThat(
            operator
                .getConfigurationService()
                .getLeaderElectionConfiguration()
                .orElseThrow()
                .isExitOnStopLeading())
        .isFalse();

    operator.stop();
    assertThat(leader.isStopping()).isTrue();
  }

  /** Outside a Pod: nothing to label. */
  private LeaderPodLabel noPod() {
    return new LeaderPodLabel(client, "default", "");
  }
}
