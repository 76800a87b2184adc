package io.appenv.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class OperatorFactoryTest {
  KubernetesClient client;

  /** JOSDK's default would System.exit(1): this test JVM would die instead of passing. */
  @Test
  void aFailedInformerIsReportedNotAnExit() {
    AtomicInteger reported = new AtomicInteger();
    Operator operator =
        OperatorFactory.create(
            client,
            new SimpleMeterRegistry(),
            OperatorTestSupport.properties(List.of(), false),
            Clock.systemUTC(),
            new LeaderState(true),
            reported::incrementAndGet);
    var handler = operator.getConfigurationService().getInformerStoppedHandler().orElseThrow();

    handler.onStop(null, null);
    assertThat(reported).as("a normal stop").hasValue(0);
    handler.onStop(null, new IllegalStateException("Client already closed"));
    assertThat(reported).hasValue(1);
  }
}
