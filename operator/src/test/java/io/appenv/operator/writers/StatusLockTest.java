package io.appenv.operator.writers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorTestSupport;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.apiserver.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The operator's status write is locked to the resourceVersion it was computed from, with
 * server-side apply on and off (appenv.server-side-apply), on the real API server: when another
 * writer (the webhook's rollback) changes the environment just before the operator's write, the
 * operator's write fails with 409 and the other writer's status survives. (fabric8's mock API
 * server does not check resourceVersions.)
 */
class StatusLockTest {
  private static final String MARK = "written-by-someone-else:1";

  @Test
  void withoutServerSideApplyAConcurrentWriteWins() {
    assertTheOperatorLosesTheRace(namespace("lock-plain"), "lock-plain", false);
  }

  @Test
  void withServerSideApplyAConcurrentWriteWins() {
    assertTheOperatorLosesTheRace(namespace("lock-ssa"), "lock-ssa", true);
  }

  private static KubernetesClient namespace(String ns) {
    KubernetesClient real = RealApiServer.client();
    real.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .serverSideApply();
    return real;
  }

  private static void assertTheOperatorLosesTheRace(
      KubernetesClient admin, String ns, boolean serverSideApply) {
    List<Integer> statusWrites = new CopyOnWriteArrayList<>();
    AtomicBoolean raced = new AtomicBoolean();
    Interceptor race =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (request.uri().getPath().endsWith("/appenvironments/shop/status")
                && raced.compareAndSet(false, true)) {
              // The webhook records a rollback between the operator's read and its write.
              admin
                  .resources(AppEnvironment.class)
                  .inNamespace(ns)
                  .withName("shop")
                  .editStatus(
                      e -> {
                        e.getStatus().setRejectedImages(List.of(MARK));
                        return e;
                      });
            }
          }

          @Override
          public void after(
              HttpRequest request,
              HttpResponse<?> response,
              AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            if (request.uri().getPath().endsWith("/appenvironments/shop/status")) {
              statusWrites.add(response.code());
            }
          }
        };
    KubernetesClient operatorClient =
        new KubernetesClientBuilder()
            .withConfig(admin.getConfiguration())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("race", race))
            .build();
    AppEnvironment env = TestEnvironments.rolling(ns, "shop");
    env.setStatus(new io.appenv.operator.api.AppEnvironmentStatus());
    AppEnvironment created = admin.resource(env).create();
    created.setStatus(new io.appenv.operator.api.AppEnvironmentStatus());
    admin.resource(created).updateStatus();

    Operator operator =
        OperatorFactory.create(
            operatorClient,
            new SimpleMeterRegistry(),
            OperatorTestSupport.properties(List.of(ns), serverSideApply),
            Clock.systemUTC());
    operator.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> statusWrites.size() >= 2);

      assertThat(statusWrites.get(0))
          .as("the first write, made over an older resourceVersion")
          .isEqualTo(409);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                AppEnvironment now =
                    admin.resources(AppEnvironment.class).inNamespace(ns).withName("shop").get();
                assertThat(now.getStatus().getConditions())
                    .as("the operator wrote its status after looking again")
                    .isNotEmpty();
                assertThat(now.getStatus().getRejectedImages())
                    .as("the other writer's decision survives")
                    .containsExactly(MARK);
              });
    } finally {
      operator.stop();
      operatorClient.close();
    }
  }
}
