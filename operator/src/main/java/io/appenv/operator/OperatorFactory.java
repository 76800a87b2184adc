package io.appenv.operator;

import io.appenv.operator.builders.PostgresImage;
import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.informers.OwnFieldsItemStore;
import io.appenv.operator.kpi.DeliveryMetrics;
import io.appenv.operator.monitoring.PrometheusCatalog;
import io.appenv.operator.names.MonitoringLabels;
import io.appenv.operator.observe.CrdCatalog;
import io.appenv.operator.reconciler.AppEnvironmentReconciler;
import io.appenv.operator.status.StatusAggregator;
import io.appenv.operator.validation.AlertRulesDryRun;
import io.appenv.operator.writers.Writers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the JOSDK Operator with appenv's controllers; used by the Spring context and by tests. */
public final class OperatorFactory {
  private static final Logger log = LoggerFactory.getLogger(OperatorFactory.class);

  private OperatorFactory() {}

  public static Operator create(
      KubernetesClient client, MeterRegistry registry, OperatorProperties properties, Clock clock) {
    return create(
        client,
        registry,
        properties,
        clock,
        new LeaderState(!properties.leaderElection().enabled()));
  }

  public static Operator create(
      KubernetesClient client,
      MeterRegistry registry,
      OperatorProperties properties,
      Clock clock,
      LeaderState leader) {
    return create(
        client,
        registry,
        properties,
        clock,
        leader,
        () -> {},
        Writers.of(client, properties.serverSideApply()));
  }

  /**
   * @param onInformerFailure called when an informer that had synced stops with an error, so the
   *     process can report itself broken. JOSDK's default would call System.exit(1), which also
   *     fires when a watch fails after the client closed during a normal shutdown, and would end a
   *     test JVM.
   * @param writers the status and traffic writers, shared with the Alertmanager webhook
   */
  public static Operator create(
      KubernetesClient client,
      MeterRegistry registry,
      OperatorProperties properties,
      Clock clock,
      LeaderState leader,
      Runnable onInformerFailure,
      Writers writers) {
    OperatorProperties.LeaderElection election = properties.leaderElection();
    String identity = identity(election);
    String leaseNamespace =
        election.leaseNamespace().isBlank() ? client.getNamespace() : election.leaseNamespace();
    // Built here, run by stop(): which Lease, and under which name this replica holds it.
    LeaseRelease leaseRelease =
        election.enabled()
            ? new LeaseRelease(client, leaseNamespace, election.leaseName(), identity, clock)
            : null;
    Operator operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withInformerStoppedHandler(
                      (informer, error) -> {
                        if (error != null) {
                          log.warn("An informer stopped with an error: {}", error.toString());
                          onInformerFailure.run();
                        }
                      })
                  .withCloseClientOnStop(false)
                  // Per controller, not per resource: per environment, JOSDK's timers and counters
                  // were most of the 110,000 series at 1,000 environments (docs/benchmarks.md).
                  // The delivery KPIs keep their per-environment labels (kpi/DeliveryMetrics).
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withSSABasedCreateUpdateMatchForDependentResources(properties.serverSideApply())
                  .withUseSSAToPatchPrimaryResource(properties.serverSideApply());
              if (properties.leaderElection().enabled()) {
                overrider.withLeaderElectionConfiguration(
                    leaderElection(client, election, identity, leaseNamespace, leader));
              }
            }) {
          @Override
          public void stop() {
            leader.stopping();
            super.stop();
            // After the controllers and their reconciles have stopped: never two writers.
            if (leaseRelease != null) {
              leaseRelease.run();
            }
          }
        };
    CrdCatalog crds = new CrdCatalog(client, clock);
    var reconciler =
        new AppEnvironmentReconciler(
            new AlertRulesDryRun(client, crds),
            crds,
            new PrometheusCatalog(client, clock),
            new StatusAggregator(clock),
            writers.status(),
            new EventRecorder(client, clock),
            new DeliveryMetrics(registry),
            new PostgresImage(properties.images().postgres()),
            MonitoringLabels.parse(properties.monitoring().labels()),
            clock);
    operator.register(
        reconciler,
        config -> {
          config.withReconciliationMaxInterval(properties.resyncInterval());
          config.withItemStore(new OwnFieldsItemStore<>());
          config.withOnUpdateFilter(reconciler.ownStatusWritesIgnored());
          if (!properties.watchNamespaces().isEmpty()) {
            config.settingNamespaces(new HashSet<>(properties.watchNamespaces()));
          }
        });
    return operator;
  }

  /**
   * This replica's name in the Lease, chosen as JOSDK would (the setting, else the host name, else
   * a random one), but here, so that stop() knows which holder to release.
   */
  static String identity(OperatorProperties.LeaderElection settings) {
    if (!settings.identity().isBlank()) {
      return settings.identity();
    }
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? UUID.randomUUID().toString() : host;
  }

  private static LeaderElectionConfiguration leaderElection(
      KubernetesClient client,
      OperatorProperties.LeaderElection settings,
      String identity,
      String leaseNamespace,
      LeaderState leader) {
    LeaderPodLabel podLabel = new LeaderPodLabel(client, leaseNamespace, settings.podName());
    Duration lease = settings.leaseDuration();
    // Renew well before the Lease ends and retry often, as client-go does (15s/10s/2s).
    // JOSDK's own exit on stop leading is off: it also fires when Operator.stop() ends leading,
    // from inside the JVM's shutdown hook, where System.exit blocks for ever
    // (java-operator-sdk#1614, #3376), so a SIGTERM ended only with the kubelet's SIGKILL. The
    // callbacks exit on a lost Lease only.
    return new LeaderElectionConfiguration(
        settings.leaseName(),
        leaseNamespace,
        lease,
        lease.multipliedBy(2).dividedBy(3),
        lease.dividedBy(7),
        identity,
        leaderCallbacks(leader, podLabel, settings.exitOnLostLeadership(), () -> System.exit(1)),
        false);
  }

  /**
   * @param exit ends the process when leadership is lost while the operator runs
   *     (exitOnLostLeadership), so a restarted Pod starts clean; never when the operator itself
   *     stops and gives the Lease up.
   */
  static LeaderCallbacks leaderCallbacks(
      LeaderState leader, LeaderPodLabel podLabel, boolean exitOnLostLeadership, Runnable exit) {
    return new LeaderCallbacks(
        () -> {
          leader.set(true);
          podLabel.claim();
        },
        () -> {
          leader.set(false);
          podLabel.release();
          if (exitOnLostLeadership && !leader.isStopping()) {
            log.warn(
                "Lost leadership while running: exiting, so that a restarted Pod starts clean");
            exit.run();
          }
        },
        identity -> {});
  }
}
