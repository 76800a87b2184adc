package io.appenv.operator;

import io.appenv.operator.reconciler.AppEnvironmentReconciler;
import io.appenv.operator.reconciler.EventRecorder;
import io.appenv.operator.status.StatusAggregator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashSet;

/** Builds the JOSDK Operator with appenv's controllers; used by the Spring context and by tests. */
public final class OperatorFactory {
  private OperatorFactory() {}

  public static Operator create(KubernetesClient client, MeterRegistry registry, OperatorProperties properties,
      Clock clock) {
    Operator operator = new Operator(overrider -> {
      overrider.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
          .withSSABasedCreateUpdateMatchForDependentResources(properties.serverSideApply())
          .withUseSSAToPatchPrimaryResource(properties.serverSideApply());
      if (properties.leaderElection().enabled()) {
        String leaseNamespace = properties.leaderElection().leaseNamespace();
        overrider.withLeaderElectionConfiguration(leaseNamespace.isBlank()
            ? new LeaderElectionConfiguration(properties.leaderElection().leaseName())
            : new LeaderElectionConfiguration(properties.leaderElection().leaseName(), leaseNamespace));
      }
    });
    var reconciler = new AppEnvironmentReconciler(new StatusAggregator(clock), new EventRecorder(client, clock));
    operator.register(reconciler, config -> {
      if (!properties.watchNamespaces().isEmpty()) {
        config.settingNamespaces(new HashSet<>(properties.watchNamespaces()));
      }
    });
    return operator;
  }
}
