package io.appenv.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaderPodLabelTest {
  private static final String NS = "appenv-system";
  KubernetesClient client;

  @BeforeEach
  void twoReplicas() {
    pod("operator-a", Map.of("app.kubernetes.io/name", "appenv-operator"));
    pod("operator-b", Map.of("app.kubernetes.io/name", "appenv-operator"));
  }

  @Test
  void theLeaderLabelsItsOwnPodAndTakesTheLabelFromAnyOther() {
    pod(
        "operator-a",
        Map.of("app.kubernetes.io/name", "appenv-operator", LeaderPodLabel.LABEL, "true"));

    new LeaderPodLabel(client, NS, "operator-b").claim();

    assertThat(labels("operator-b")).containsEntry(LeaderPodLabel.LABEL, "true");
    assertThat(labels("operator-a"))
        .doesNotContainKey(LeaderPodLabel.LABEL)
        .containsEntry("app.kubernetes.io/name", "appenv-operator");
  }

  @Test
  void leadershipStartsAndEndsWithTheLabel() {
    LeaderState leader = new LeaderState(false);
    LeaderCallbacks callbacks =
        OperatorFactory.leaderCallbacks(
            leader, new LeaderPodLabel(client, NS, "operator-a"), false, () -> {});

    callbacks.onStartLeading();
    assertThat(leader.isLeader()).isTrue();
    assertThat(labels("operator-a")).containsEntry(LeaderPodLabel.LABEL, "true");

    callbacks.onStopLeading();
    assertThat(labels("operator-a")).doesNotContainKey(LeaderPodLabel.LABEL);
    assertThat(labels("operator-b")).doesNotContainKey(LeaderPodLabel.LABEL);
  }

  @Test
  void outsideAPodNothingIsLabelled() {
    new LeaderPodLabel(client, NS, "").claim();

    assertThat(client.pods().inNamespace(NS).withLabel(LeaderPodLabel.LABEL).list().getItems())
        .isEmpty();
  }

  @Test
  void aPodThatCannotBeLabelledStillLeads() {
    LeaderState leader = new LeaderState(false);

    OperatorFactory.leaderCallbacks(
            leader, new LeaderPodLabel(client, NS, "no-such-pod"), false, () -> {})
        .onStartLeading();

    assertThat(leader.isLeader()).isTrue();
  }

  private void pod(String name, Map<String, String> labels) {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(labels)
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
  }

  private Map<String, String> labels(String pod) {
    return client.pods().inNamespace(NS).withName(pod).get().getMetadata().getLabels();
  }
}
