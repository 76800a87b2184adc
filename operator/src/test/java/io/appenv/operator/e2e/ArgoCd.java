package io.appenv.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a user of Argo CD sees: its CLI and its REST API (argocd-server, logged in as admin with the
 * initial password Argo CD generated), and the Application objects in the cluster.
 */
final class ArgoCd {
  private static final ObjectMapper JSON = Serialization.jsonMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final GitOpsCluster cluster;
  private final KubernetesClient client;
  private final String token;

  ArgoCd(GitOpsCluster cluster, KubernetesClient client) throws Exception {
    this.cluster = cluster;
    this.client = client;
    String password =
        new String(
            Base64.getDecoder()
                .decode(
                    client
                        .secrets()
                        .inNamespace("argocd")
                        .withName("argocd-initial-admin-secret")
                        .get()
                        .getData()
                        .get("password")),
            StandardCharsets.UTF_8);
    JsonNode session = post("/api/v1/session", Map.of("username", "admin", "password", password));
    token = session.path("token").asText();
  }

  /** The Application object as the controller wrote it. */
  GenericKubernetesResource application(String name) {
    return client
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName(name)
        .get();
  }

  /**
   * The Application's status; a missing node while the Application or its status is not written yet
   * (its fields then read as empty: "not synced", "not healthy").
   */
  JsonNode status(String application) {
    GenericKubernetesResource found = application(application);
    Object status = found == null ? null : found.getAdditionalProperties().get("status");
    return status == null ? MissingNode.getInstance() : JSON.valueToTree(status);
  }

  String syncStatus(String application) {
    return status(application).path("sync").path("status").asText();
  }

  String healthStatus(String application) {
    return status(application).path("health").path("status").asText();
  }

  /** Synced to this commit, by a sync operation that succeeded. */
  boolean syncedTo(String application, String commit) {
    JsonNode status = status(application);
    return commit.equals(status.path("sync").path("revision").asText())
        && "Synced".equals(status.path("sync").path("status").asText())
        && commit.equals(status.path("operationState").path("syncResult").path("revision").asText())
        && "Succeeded".equals(status.path("operationState").path("phase").asText());
  }

  /**
   * The health Argo CD computed for one resource of an Application ({"status", "message"}), from
   * the resource tree of its API: for an AppEnvironment, what our Lua check returned in Argo CD's
   * gopher-lua.
   */
  JsonNode resourceHealth(String application, String kind, String name) throws Exception {
    for (JsonNode node :
        get("/api/v1/applications/" + application + "/resource-tree").path("nodes")) {
      if (kind.equals(node.path("kind").asText()) && name.equals(node.path("name").asText())) {
        return node.path("health");
      }
    }
    throw new AssertionError(
        application + " has no " + kind + " " + name + " in its resource tree");
  }

  /** `argocd app get NAME ARGS...`, as a user types it. */
  String cli(String... args) {
    List<String> command = new ArrayList<>(List.of(cluster.argoCdCli.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--server", cluster.argoCdServer, "--plaintext", "--auth-token", token));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError("failed: argocd " + String.join(" ", args) + "\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Keeps what a user sees in one state under target/gitops-e2e/, for docs/gitops.md. */
  String capture(String state, String application, String kind, String name) throws Exception {
    String out =
        "$ argocd app get "
            + application
            + "\n"
            + cli("app", "get", application)
            + "\n$ curl -H \"Authorization: Bearer $TOKEN\" http://$ARGOCD_SERVER/api/v1/applications/"
            + application
            + "/resource-tree   # the "
            + kind
            + " node's health\n"
            + JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(resourceHealth(application, kind, name))
            + "\n";
    Path file = Path.of("target", "gitops-e2e", "argocd-" + state + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out);
    return out;
  }

  private JsonNode get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + cluster.argoCdServer + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .build();
    return answer(request);
  }

  private JsonNode post(String path, Object body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + cluster.argoCdServer + path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    return answer(request);
  }

  private JsonNode answer(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
