package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.AppEnvOperatorApplication;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.appenv.operator.names.Color;
import io.fabric8.kubernetes.client.KubernetesClient;
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
    SampleEnvironments.namespace(client, NS);
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
    AppEnvironment env =
        SampleEnvironments.dev(
            NS,
            e -> {
              e.getMetadata().setName(name);
              e.getSpec().getApp().setImage("ghcr.io/appenv/telemetry:0.0." + image++);
              e.getSpec().getRelease().setScaleDownDelay(scaleDownDelay);
              e.getSpec().getRelease().getRollback().setMaxPerHour(60);
            });
    client.resource(env).create();
    await().atMost(TIMEOUT).until(() -> live(name).phase() == Phase.Ready);
  }

  /**
   * Releases a new image, waits for its promotion, fires the alert; returns ms until traffic is
   * back.
   */
  private double rollBack(String name, boolean cold) throws Exception {
    String next = "ghcr.io/appenv/telemetry:0.0." + image++;
    LiveEnvironment env = live(name);
    env.setImage(next);
    await()
        .atMost(TIMEOUT)
        .until(() -> next.equals(env.activeImage()) && env.phase() == Phase.Ready);
    String previous = env.status().orElseThrow().getPreviousRelease().getColor();
    if (cold) {
      await()
          .atMost(TIMEOUT)
          .until(() -> Integer.valueOf(0).equals(env.replicas(Color.fromLabel(previous))));
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
    // Polled every 2 ms in this thread, so the figure is the switch's, not the poll's.
    await()
        .atMost(TIMEOUT.minus(Duration.ofNanos(System.nanoTime() - start)))
        .pollInSameThread()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2))
        .until(() -> previous.equals(env.servingColor()));
    double millis = (System.nanoTime() - start) / 1e6;
    await().atMost(TIMEOUT).until(() -> env.phase() == Phase.RolledBack);
    return millis;
  }

  private LiveEnvironment live(String name) {
    return new LiveEnvironment(client, NS, name);
  }

  private String alert(String name) {
    return FiringAlert.of(NS, name).notification(Instant.now(), name + image);
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
