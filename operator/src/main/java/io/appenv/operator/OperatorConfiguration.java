package io.appenv.operator;

import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.webhook.RollbackService;
import io.appenv.operator.writers.Writers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires JOSDK's Operator by hand (no JOSDK Spring Boot starter fits JOSDK 5 here) and ties it to
 * Spring's lifecycle.
 */
@Configuration(proxyBeanMethods = false)
public class OperatorConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  KubernetesClient kubernetesClient() {
    return CompactObjects.clientBuilder().build();
  }

  /** One status writer and one traffic switch, for the reconciler and the webhook. */
  @Bean
  Writers writers(KubernetesClient client, OperatorProperties properties) {
    return Writers.of(client, properties.serverSideApply());
  }

  @Bean
  LeaderState leaderState(OperatorProperties properties) {
    return new LeaderState(!properties.leaderElection().enabled());
  }

  /** A failed informer breaks liveness: the kubelet restarts the Pod, after a graceful shutdown. */
  @Bean
  Operator operator(
      KubernetesClient client,
      MeterRegistry registry,
      OperatorProperties properties,
      Clock clock,
      LeaderState leader,
      ApplicationEventPublisher events,
      Writers writers) {
    return OperatorFactory.create(
        client,
        registry,
        properties,
        clock,
        leader,
        () -> AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN),
        writers);
  }

  @Bean
  RollbackService rollbackService(
      KubernetesClient client, Clock clock, OperatorProperties properties, Writers writers) {
    return new RollbackService(
        client,
        new EventRecorder(client, clock),
        clock,
        properties.webhook().originLabel(),
        writers);
  }

  /**
   * Starts the operator after the web server, so health and metrics answer while informers sync.
   */
  @Bean
  SmartLifecycle operatorLifecycle(Operator operator) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        operator.start();
        running = true;
      }

      @Override
      public void stop() {
        operator.stop();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }
}
