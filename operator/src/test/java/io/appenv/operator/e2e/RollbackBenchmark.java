package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.AppEnvOperatorApplication;
import io.appenv.operator.Samples;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Alertmanager webhook received → main Service selector switched, over HTTP to the operator as it
 * ships (Spring Boot, in this JVM) on the local control plane. Warm: the previous colour still
 * runs. Cold: it was scaled to zero, so its Pods must come back first (kwok makes them Ready at
 * once). Run: {@code mvn -pl operator test -Pbench -Dtest=RollbackBenchmark}; figures go to stdout
 * and target/rollback-benchmark.txt.
 */
@Tag("bench")
class RollbackBenchmark {
  private static final String NS = "bench-rollback";
  private static final String TOKEN = "bench-token";
  private static final int WARM_ENVIRONMENTS = 4;
  private static final int WARM_ROLLBACKS_EACH =
      25; // maxPerHour is at most 60, so spread over environments
  private static final int COLD_ROLLBACKS = Integer.getInteger("bench.cold", 20);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newHttpClient();
  private KubernetesClient client;
  private int port;
  private int image;

  @Test
  void webhookToServiceSwitch() throws Exception {
    client = LocalCluster.client();
    System.setProperty("kubeconfig", LocalCluster.kubeconfig().toString());
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    // Command-line arguments, so they win over application.yaml's port.
    try (ConfigurableApplicationContext operator =
        new SpringApplicationBuilder(AppEnvOperatorApplication.class)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--appenv.webhook.token=" + TOKEN,
                "--appenv.watch-namespaces=" + NS,
                "--spring.profiles.active=plain",
                "--logging.level.root=WARN")) {
      port = Integer.parseInt(operator.getEnvironment().getProperty("local.server.port"));
      List<Double> warm = new ArrayList<>();
      for (int e = 0; e < WARM_ENVIRONMENTS; e++) {
        String name = "warm-" + e;
        create(name, "10m");
        for (int i = 0; i < WARM_ROLLBACKS_EACH; i++) {
          warm.add(rollBack(name, false));
        }
      }
      create("cold", "1s");
      List<Double> cold = new ArrayList<>();
      for (int i = 0; i < COLD_ROLLBACKS; i++) {
        cold.add(rollBack("cold", true));
      }
      String report = "warm: " + summary(warm) + "\ncold: " + summary(cold) + "\n";
      System.out.println(
          "ROLLBACK BENCHMARK (webhook received -> Service selector switched, ms)\n" + report);
      Files.writeString(Path.of("target", "rollback-benchmark.txt"), report);
      assertThat(warm).hasSize(WARM_ENVIRONMENTS * WARM_ROLLBACKS_EACH);
    }
  }

  private void create(String name, String scaleDownDelay) {
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("dev.yaml"));
    env.getMetadata().setNamespace(NS);
    env.getMetadata().setName(name);
    env.getSpec().getApp().setImage("ghcr.io/appenv/telemetry:0.0." + image++);
    env.getSpec().getRelease().setScaleDownDelay(scaleDownDelay);
    env.getSpec().getRelease().getRollback().setMaxPerHour(60);
    client.resource(env).create();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> get(name).getStatus() != null && get(name).getStatus().getPhase() == Phase.Ready);
  }

  /**
   * Releases a new image, waits for its promotion, fires the alert; returns ms until traffic is
   * back.
   */
  private double rollBack(String name, boolean cold) throws Exception {
    String next = "ghcr.io/appenv/telemetry:0.0." + image++;
    client
        .resources(AppEnvironment.class)
        .inNamespace(NS)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"app\":{\"image\":\"" + next + "\"}}}");
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              AppEnvironment env = get(name);
              return env.getStatus().getActiveRelease() != null
                  && next.equals(env.getStatus().getActiveRelease().getImage())
                  && env.getStatus().getPhase() == Phase.Ready;
            });
    String previous = get(name).getStatus().getPreviousRelease().getColor();
    if (cold) {
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  client
                          .apps()
                          .deployments()
                          .inNamespace(NS)
                          .withName(name + "-" + previous)
                          .get()
                          .getSpec()
                          .getReplicas()
                      == 0);
    }
    long start = System.nanoTime();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/webhooks/alertmanager"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alert(name)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).contains("\"rolledBack\":true");
    while (!previous.equals(
        client
            .services()
            .inNamespace(NS)
            .withName(name)
            .get()
            .getSpec()
            .getSelector()
            .get("platform.appenv.io/color"))) {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
      Thread.sleep(2);
    }
    double millis = (System.nanoTime() - start) / 1e6;
    await().atMost(TIMEOUT).until(() -> get(name).getStatus().getPhase() == Phase.RolledBack);
    return millis;
  }

  private AppEnvironment get(String name) {
    return client.resources(AppEnvironment.class).inNamespace(NS).withName(name).get();
  }

  private String alert(String name) {
    return """
        {"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"HighErrorRate",
        "severity":"critical","appenv_rollback":"true","appenv_namespace":"%s","appenv_name":"%s","namespace":"%s"},
        "startsAt":"%s","fingerprint":"%s"}]}"""
        .formatted(NS, name, NS, Instant.now(), name + image);
  }

  private static String summary(List<Double> millis) {
    List<Double> sorted = millis.stream().sorted().toList();
    return "n=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f"
        .formatted(
            sorted.size(),
            percentile(sorted, 50),
            percentile(sorted, 90),
            percentile(sorted, 99),
            sorted.get(sorted.size() - 1));
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
