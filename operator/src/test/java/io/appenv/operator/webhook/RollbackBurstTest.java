package io.appenv.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseRef;
import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.names.AlertLabels;
import io.appenv.operator.release.Alert;
import io.appenv.operator.writers.Writers;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A burst of notifications (Alertmanager's retries, several replicas of it, a storm of alerts):
 * bounded work against the API server and exactly one rollback.
 */
@EnableKubernetesMockClient(crud = true)
class RollbackBurstTest {
  private static final String NS = "shop-prod";
  private static final Instant PROMOTED = Instant.now().minusSeconds(60);

  KubernetesMockServer server;
  KubernetesClient client;
  private final AtomicInteger requests = new AtomicInteger();
  private RollbackService rollbacks;

  /** v2 promoted on green a minute ago, v1 still warm on blue. */
  @BeforeEach
  void promotedEnvironment() {
    AppEnvironment env = client.resource(TestEnvironments.blueGreen(NS, "shop")).create();
    AppEnvironmentStatus status = new AppEnvironmentStatus();
    status.setActiveColor("green");
    status.setActiveRelease(new ReleaseRef(2L, "shop:2", PROMOTED.toString(), "h2", "green"));
    status.setPreviousRelease(
        new ReleaseRef(1L, "shop:1", PROMOTED.minusSeconds(3600).toString(), "h1", "blue"));
    ReleaseRecord v2 = new ReleaseRecord();
    v2.setRevision(2L);
    v2.setImage("shop:2");
    v2.setColor("green");
    v2.setResult("Succeeded");
    v2.setPromotedAt(PROMOTED.toString());
    status.setHistory(new ArrayList<>(List.of(v2)));
    env.setStatus(status);
    client.resource(env).updateStatus();
    client
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("shop-blue")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .endSpec()
                .withNewStatus()
                .withAvailableReplicas(2)
                .endStatus()
                .build())
        .create();
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("shop")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .addToSelector("platform.appenv.io/color", "green")
                .endSpec()
                .build())
        .create();

    Interceptor counter =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            requests.incrementAndGet();
          }
        };
    KubernetesClient counted =
        new KubernetesClientBuilder()
            .withConfig(client.getConfiguration())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", counter))
            .build();
    rollbacks =
        new RollbackService(
            counted,
            new EventRecorder(counted, Clock.systemUTC()),
            Clock.systemUTC(),
            AlertLabels.ORIGIN_NAMESPACE,
            Writers.of(counted, false)); // the mock API server has no server-side apply
  }

  private static Alert alert(String fingerprint) {
    return new Alert(
        "firing",
        Map.of(
            "alertname",
            "HighErrorRate",
            "severity",
            "critical",
            AlertLabels.ROLLBACK,
            "true",
            AlertLabels.NAMESPACE,
            NS,
            AlertLabels.NAME,
            "shop",
            AlertLabels.ORIGIN_NAMESPACE,
            NS),
        PROMOTED.plusSeconds(30),
        fingerprint);
  }

  private List<RollbackService.Outcome> burst(
      int count, java.util.function.IntFunction<Alert> alerts) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<RollbackService.Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(pool.submit(() -> rollbacks.handle(alerts.apply(n))));
      }
      List<RollbackService.Outcome> outcomes = new ArrayList<>();
      for (Future<RollbackService.Outcome> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdown();
    }
  }

  private long rollbacksRecorded() {
    AppEnvironment env =
        client.resources(AppEnvironment.class).inNamespace(NS).withName("shop").get();
    return env.getStatus().getHistory().stream().filter(r -> r.getRolledBackAt() != null).count();
  }

  @Test
  void aThousandCopiesOfOneNotificationMakeOneRollbackAndAHandfulOfApiCalls() throws Exception {
    List<RollbackService.Outcome> outcomes = burst(1000, n -> alert("same-alert"));

    assertThat(outcomes).allSatisfy(o -> assertThat(o.rolledBack()).isTrue());
    assertThat(rollbacksRecorded()).isEqualTo(1);
    assertThat(requests.get())
        .as("API calls for 1,000 copies: read, record, check the colour, switch, Event")
        .isLessThanOrEqualTo(6);
    assertThat(client.services().inNamespace(NS).withName("shop").get().getSpec().getSelector())
        .containsEntry("platform.appenv.io/color", "blue");
  }

  @Test
  void aThousandDifferentAlertsAtOnceStillMakeOneRollback() throws Exception {
    List<RollbackService.Outcome> outcomes = burst(1000, n -> alert("alert-" + n));

    assertThat(outcomes).filteredOn(RollbackService.Outcome::rolledBack).hasSize(1);
    assertThat(outcomes)
        .filteredOn(o -> !o.rolledBack())
        .allSatisfy(o -> assertThat(o.reason()).contains("no previous good release"));
    assertThat(rollbacksRecorded()).isEqualTo(1);
  }
}
