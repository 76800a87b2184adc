package io.appenv.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.OperatorProcessTest;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The Alertmanager webhook of the running operator: who may call it, what it refuses, and a real
 * rollback.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "appenv.server-side-apply=false",
      "appenv.webhook.token=s3cret",
      "appenv.watch-namespaces=shop-prod"
    })
class AlertmanagerWebhookTest extends OperatorProcessTest {
  private static final String NS = "shop-prod";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @BeforeEach
  void promotedBlueGreenEnvironment() {
    if (client.resources(AppEnvironment.class).inNamespace(NS).withName("shop").get() != null) {
      return;
    }
    client.resource(TestEnvironments.blueGreen(NS, "shop")).create();
    await().atMost(TIMEOUT).until(() -> deployment("shop-blue") != null);
    markAvailable("shop-blue");
    // Promoted, not just serving: a first release serves from its start, and a change that
    // arrives before its promotion replaces it, leaving nothing good to go back to.
    await().atMost(TIMEOUT).until(() -> promoted("blue"));
    client
        .resources(AppEnvironment.class)
        .inNamespace(NS)
        .withName("shop")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"app\":{\"image\":\"ghcr.io/appenv/telemetry:2.0.0\"}}}");
    await().atMost(TIMEOUT).until(() -> deployment("shop-green") != null);
    markAvailable("shop-green");
    await()
        .atMost(TIMEOUT)
        .until(() -> promoted("green") && env().getStatus().getPreviousRelease() != null);
    markAvailable("shop-blue");
  }

  private AppEnvironment env() {
    return client.resources(AppEnvironment.class).inNamespace(NS).withName("shop").get();
  }

  private boolean promoted(String color) {
    var status = env().getStatus();
    return status != null
        && color.equals(status.getActiveColor())
        && status.getActiveRelease() != null
        && status.getActiveRelease().getPromotedAt() != null;
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private void markAvailable(String name) {
    Deployment deployment = deployment(name);
    int replicas = deployment.getSpec().getReplicas();
    deployment.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withAvailableReplicas(replicas)
            .withReadyReplicas(replicas)
            .build());
    client.resource(deployment).updateStatus();
  }

  private HttpResponse<String> post(String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/webhooks/alertmanager"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request);
  }

  /** A 10 MB body announced by Content-Length: the answer comes before the body is sent. */
  private String statusLineOfTenMegabytePost() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /webhooks/alertmanager HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer s3cret\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + (10 << 20)
                  + "\r\n\r\n{\"version\":\"4\"")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  private static String notification(String status, Map<String, String> labels, Instant startsAt) {
    String labelJson =
        labels.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
            .collect(Collectors.joining(","));
    return """
        {"version":"4","status":"%s","receiver":"appenv","groupKey":"g","alerts":[
          {"status":"%s","labels":{%s},"annotations":{},"startsAt":"%s","endsAt":"0001-01-01T00:00:00Z",
           "fingerprint":"abc123"}]}
        """
        .formatted(status, status, labelJson, startsAt);
  }

  private static Map<String, String> rollbackLabels(String namespace, String name) {
    return Map.of(
        "alertname",
        "HighErrorRate",
        "severity",
        "critical",
        "appenv_rollback",
        "true",
        "appenv_namespace",
        namespace,
        "appenv_name",
        name,
        "namespace",
        namespace);
  }

  /** The state once the operator has finished reacting to the set-up: unchanged for a second. */
  private List<String> settledState() {
    List<List<String>> last = new java.util.ArrayList<>(List.of(List.of()));
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              List<String> now = state();
              boolean settled = now.equals(last.get(0));
              last.set(0, now);
              return settled;
            });
    return last.get(0);
  }

  /** Everything a refused or ignored call must leave as it was. */
  private List<String> state() {
    return List.of(
        env().getMetadata().getResourceVersion(),
        client
            .services()
            .inNamespace(NS)
            .withName("shop")
            .get()
            .getMetadata()
            .getResourceVersion());
  }

  @Test
  void refusesCallersWithoutTheTokenAndBadBodiesAndChangesNothing() throws Exception {
    List<String> before = settledState();
    String valid = notification("firing", rollbackLabels(NS, "shop"), Instant.now());

    assertThat(post(null, valid).statusCode()).isEqualTo(401);
    assertThat(post("guess", valid).statusCode()).isEqualTo(403);
    HttpResponse<String> malformed = post("s3cret", "{\"version\":\"4\",\"alerts\":[");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("malformed JSON");
    HttpResponse<String> wrongVersion =
        post("s3cret", valid.replace("\"version\":\"4\"", "\"version\":\"3\""));
    assertThat(wrongVersion.statusCode()).isEqualTo(400);
    assertThat(wrongVersion.body()).contains("version 4");
    assertThat(statusLineOfTenMegabytePost()).contains(" 413 ");

    assertThat(state()).isEqualTo(before);
  }

  @Test
  void acknowledgesAlertsThatDoNotRollBackAndChangesNothing() throws Exception {
    List<String> before = settledState();

    HttpResponse<String> unknown =
        post("s3cret", notification("firing", rollbackLabels(NS, "nope"), Instant.now()));
    HttpResponse<String> resolved =
        post("s3cret", notification("resolved", rollbackLabels(NS, "shop"), Instant.now()));
    HttpResponse<String> early =
        post(
            "s3cret",
            notification(
                "firing", rollbackLabels(NS, "shop"), Instant.now().minus(Duration.ofHours(1))));
    // A rule another team wrote in its own namespace, naming
    // this environment (tenancy, docs/rollback.md).
    Map<String, String> foreign = new java.util.HashMap<>(rollbackLabels(NS, "shop"));
    foreign.put("namespace", "other-team");
    HttpResponse<String> fromElsewhere =
        post("s3cret", notification("firing", foreign, Instant.now()));

    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(unknown.body()).contains("\"rolledBack\":false").contains("no AppEnvironment");
    assertThat(resolved.body()).contains("\"rolledBack\":false").contains("not firing");
    assertThat(early.body()).contains("\"rolledBack\":false").contains("started before");
    assertThat(fromElsewhere.statusCode()).isEqualTo(200);
    assertThat(fromElsewhere.body())
        .contains("\"rolledBack\":false")
        .contains("comes from namespace other-team, not from " + NS);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void aFiringRollbackAlertSwitchesTrafficBackAndRejectsTheImage() throws Exception {
    HttpResponse<String> response =
        post("s3cret", notification("firing", rollbackLabels(NS, "shop"), Instant.now()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .as(() -> Serialization.asYaml(env().getStatus()))
        .contains("\"rolledBack\":true")
        .contains("traffic switched to blue");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .services()
                          .inNamespace(NS)
                          .withName("shop")
                          .get()
                          .getSpec()
                          .getSelector())
                  .containsEntry("platform.appenv.io/color", "blue");
              AppEnvironment env = env();
              assertThat(env.getStatus().getActiveColor()).isEqualTo("blue");
              assertThat(env.getStatus().getRejectedImages())
                  .containsExactly("ghcr.io/appenv/telemetry:2.0.0");
              assertThat(env.getStatus().getPhase()).isEqualTo(Phase.RolledBack);
              assertThat(env.getStatus().getHistory().get(0).getTimeToRestoreSeconds()).isNotNull();
              assertThat(deployment("shop-green").getSpec().getReplicas())
                  .as("rejected colour scaled down")
                  .isZero();
              assertThat(env.getSpec().getApp().getImage())
                  .as("spec untouched")
                  .isEqualTo("ghcr.io/appenv/telemetry:2.0.0");
            });
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolledBack"));

    HttpResponse<String> duplicate =
        post("s3cret", notification("firing", rollbackLabels(NS, "shop"), Instant.now()));
    assertThat(duplicate.body()).contains("\"rolledBack\":false");
  }
}
