package io.appenv.operator.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorTestSupport;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator lists and watches only what it made: in a cluster of many Secrets, Deployments and
 * ConfigMaps of other teams, its caches and its API load stay those of its own objects.
 */
@EnableKubernetesMockClient(crud = true)
class InformerScopeTest {
  KubernetesMockServer server;
  KubernetesClient client;

  /** The kinds the operator may read whole: its own resource, and CRDs it checks by name. */
  private static final Set<String> UNFILTERED =
      Set.of("appenvironments", "customresourcedefinitions");

  @Test
  void everyListAndWatchOfAnOwnedKindSelectsTheOperatorsLabel() {
    List<String> reads = new CopyOnWriteArrayList<>();
    Interceptor recorder =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if ("GET".equals(request.method()) && request.uri().getPath().matches(".*/[a-z]+$")) {
              reads.add(URLDecoder.decode(request.uri().toString(), StandardCharsets.UTF_8));
            }
          }
        };
    KubernetesClient operatorClient =
        new KubernetesClientBuilder()
            .withConfig(client.getConfiguration())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("reads", recorder))
            .build();
    Operator operator =
        OperatorFactory.create(
            operatorClient,
            new SimpleMeterRegistry(),
            OperatorTestSupport.properties(List.of(), false),
            Clock.systemUTC());
    operator.start();
    try {
      client
          .resource(
              TestEnvironments.rolling(
                  "team-a", "shop", spec -> spec.setDatabase(new DatabaseSpec())))
          .create();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  client.apps().statefulSets().inNamespace("team-a").withName("shop-db").get()
                      != null);

      List<String> collections =
          reads.stream().filter(uri -> !UNFILTERED.contains(kind(uri))).toList();
      assertThat(collections)
          .as("lists and watches of the kinds the operator owns")
          .extracting(InformerScopeTest::kind)
          .contains("secrets", "deployments", "services", "configmaps", "statefulsets", "jobs");
      assertThat(collections)
          .allSatisfy(
              uri ->
                  assertThat(uri)
                      .as(kind(uri))
                      .contains("labelSelector=" + Labels.MANAGED_SELECTOR));
      Map<String, Long> watches =
          collections.stream()
              .filter(uri -> uri.contains("watch=true"))
              .collect(Collectors.groupingBy(InformerScopeTest::kind, Collectors.counting()));
      assertThat(watches)
          .as("one informer per kind, however many objects of it an environment owns")
          .containsKeys(
              "deployments",
              "services",
              "configmaps",
              "jobs",
              "networkpolicies",
              "poddisruptionbudgets",
              "secrets",
              "statefulsets",
              "persistentvolumeclaims",
              "cronjobs")
          .allSatisfy((kind, count) -> assertThat(count).as(kind).isOne());
    } finally {
      operator.stop();
      operatorClient.close();
    }
  }

  private static String kind(String uri) {
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
