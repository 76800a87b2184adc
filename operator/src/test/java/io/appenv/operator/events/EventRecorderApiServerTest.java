package io.appenv.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.apiserver.RealApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events as the real API server stores them: aggregated like Kubernetes' own, never refused for
 * length.
 */
class EventRecorderApiServerTest {
  private static final String NS = "events";
  private static KubernetesClient client;
  private static AppEnvironment env;

  @BeforeAll
  static void environment() {
    client = RealApiServer.client();
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    env = client.resource(TestEnvironments.rolling(NS, "shop")).serverSideApply();
  }

  private static List<Event> events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void theSameEventAgainRaisesTheCountOfOneEvent() {
    Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
    new EventRecorder(client, Clock.fixed(t0, ZoneOffset.UTC))
        .warning(env, Reason.BACKUP_STALE, "no backup for 3 days");
    new EventRecorder(client, Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC))
        .warning(env, Reason.BACKUP_STALE, "no backup for 3 days");
    new EventRecorder(client, Clock.fixed(t0.plusSeconds(120), ZoneOffset.UTC))
        .warning(env, Reason.BACKUP_STALE, "no backup for 3 days");

    assertThat(events("BackupStale"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getCount()).isEqualTo(3);
              assertThat(event.getFirstTimestamp()).isEqualTo(t0.toString());
              assertThat(event.getLastTimestamp()).isEqualTo(t0.plusSeconds(120).toString());
              assertThat(event.getInvolvedObject().getUid()).isEqualTo(env.getMetadata().getUid());
            });
  }

  @Test
  void anotherMessageIsAnotherEvent() {
    EventRecorder recorder = new EventRecorder(client, Clock.systemUTC());
    recorder.normal(env, Reason.PROMOTED, "Promoted revision 2 to green");
    recorder.normal(env, Reason.PROMOTED, "Promoted revision 3 to blue");

    assertThat(events("Promoted"))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  @Test
  void aMessageLongerThanTheApiAcceptsIsCutNotLost() {
    String longMessage = "Exception chain: " + "ä".repeat(3000);

    new EventRecorder(client, Clock.systemUTC()).warning(env, Reason.RECONCILE_ERROR, longMessage);

    assertThat(events("ReconcileError"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                  .hasSizeBetween(EventRecorder.MAX_MESSAGE - 3, EventRecorder.MAX_MESSAGE);
              assertThat(event.getMessage()).startsWith("Exception chain: ").endsWith("...");
            });
  }
}
