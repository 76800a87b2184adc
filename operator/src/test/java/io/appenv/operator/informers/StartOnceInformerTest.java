package io.appenv.operator.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.OperatorFactory;
import io.appenv.operator.OperatorTestSupport;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.appenv.operator.reconciler.AppEnvironmentReconciler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JOSDK starts the informer of a dependent with an activation condition again in every reconcile;
 * StartOnceInformer makes the second start cost nothing.
 */
@EnableKubernetesMockClient(crud = true)
class StartOnceInformerTest {
  private static final int OBJECTS = 5;
  KubernetesClient client;
  private EventSourceContext<AppEnvironment> context;
  private final AtomicInteger mapped = new AtomicInteger();

  @BeforeEach
  void cacheSomeObjects() {
    for (int i = 0; i < OBJECTS; i++) {
      client
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("cm-" + i)
                  .withNamespace("team-a")
                  .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGER))
                  .endMetadata()
                  .build())
          .create();
    }
    Operator operator =
        OperatorFactory.create(
            client,
            new SimpleMeterRegistry(),
            OperatorTestSupport.properties(List.of(), false),
            Clock.systemUTC());
    context =
        new EventSourceContext<>(
            null,
            operator
                .getRegisteredController(AppEnvironmentReconciler.NAME)
                .orElseThrow()
                .getConfiguration(),
            client,
            AppEnvironment.class);
  }

  /** As JOSDK's EventSourceManager hands it over when it registers an informer. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private InformerEventSource<ConfigMap, AppEnvironment> registered(
      InformerEventSource<ConfigMap, AppEnvironment> informer) {
    informer.setControllerConfiguration(
        (ControllerConfiguration) context.getControllerConfiguration());
    return informer;
  }

  private InformerEventSource<ConfigMap, AppEnvironment> informer(String name) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ConfigMap.class, AppEnvironment.class)
            .withName(name)
            .withSecondaryToPrimaryMapper(
                configMap -> {
                  mapped.incrementAndGet();
                  return Set.of();
                })
            .build(),
        context);
  }

  /**
   * The mapper's calls once they stop: the informer also maps each object as its add event is
   * handled, on another thread, after start() returned.
   */
  private int settled() {
    int[] last = {-1};
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ofMillis(200))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              int now = mapped.get();
              boolean same = now == last[0];
              last[0] = now;
              return same;
            });
    return last[0];
  }

  @Test
  void josdksInformerMapsItsWholeCacheAgainAtEachStart() {
    InformerEventSource<ConfigMap, AppEnvironment> informer = registered(informer("plain"));
    informer.start();
    try {
      int afterFirstStart = settled();

      informer.start();

      // When a JOSDK upgrade makes this fail, StartOnceInformer can go.
      assertThat(settled() - afterFirstStart).isEqualTo(OBJECTS);
    } finally {
      informer.stop();
    }
  }

  @Test
  void startOnceInformerMapsNothingAgain() {
    InformerEventSource<ConfigMap, AppEnvironment> informer =
        registered(StartOnceInformer.of(informer("once"), context));
    informer.start();
    try {
      int afterFirstStart = settled();

      informer.start();
      informer.start();

      assertThat(afterFirstStart)
          .as("the first start maps the cache")
          .isGreaterThanOrEqualTo(OBJECTS);
      assertThat(settled()).isEqualTo(afterFirstStart);
      assertThat(informer.list().count()).isEqualTo(OBJECTS);
    } finally {
      informer.stop();
    }
  }
}
