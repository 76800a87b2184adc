package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.events.Reason;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.Names;
import io.appenv.operator.release.ReleaseAnnotations;
import io.appenv.operator.release.ReleaseResult;
import io.appenv.operator.status.ConditionType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator stopped and started again, as a new Pod of it would be: a release waiting for manual
 * promotion keeps its history and is promoted by the next operator; an environment at rest is not
 * written by it.
 */
@Tag("e2e")
class OperatorRestartE2E {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** How long the prod sample's objects hold still before the restart: its settling is done. */
  private static final Duration SETTLED = Duration.ofSeconds(3);

  @RegisterExtension
  static final InProcessOperator.PerClass operator = new InProcessOperator.PerClass();

  @Test
  void anOperatorRestartedInTheMiddleOfAReleaseCarriesOnWithItsHistory() {
    LiveEnvironment env =
        SampleEnvironments.createDev(
            LocalCluster.client(),
            "e2e-restart",
            e -> e.getSpec().getRelease().setAutoPromote(false));
    await()
        .atMost(TIMEOUT)
        .until(() -> env.phase() == Phase.Progressing && env.history().size() == 1);
    env.annotate(ReleaseAnnotations.PROMOTE, "1");
    await().atMost(TIMEOUT).until(env::ready);
    env.setImage("ghcr.io/appenv/telemetry:0.2.0");
    await()
        .atMost(TIMEOUT)
        .until(() -> env.anyConditionHasReason(Reason.AWAITING_PROMOTION.value()));

    operator.restart();

    assertThat(env.history()).extracting(ReleaseRecord::getRevision).containsExactly(2L, 1L);
    env.annotate(ReleaseAnnotations.PROMOTE, "2");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(env.activeRevision()).isEqualTo(2L);
              assertThat(env.history())
                  .extracting(ReleaseRecord::getResult)
                  .containsExactly(ReleaseResult.SUCCEEDED, ReleaseResult.SUCCEEDED);
              assertThat(env.servingColor()).isEqualTo("green");
            });
  }

  @Test
  void aRestartedOperatorWritesNothingToAnUnchangedEnvironment() {
    KubernetesClient client = LocalCluster.client();
    SampleEnvironments.apply(client, "prod.yaml");
    LiveEnvironment prod = new LiveEnvironment(client, "telemetry-prod", "telemetry");
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                prod.ready()
                    && prod.isTrue(ConditionType.DATABASE_READY)
                    && prod.isTrue(ConditionType.MONITORING_INSTALLED)
                    && prod.isTrue(ConditionType.ALERTS_INSTALLED)
                    && prod.isTrue(ConditionType.VELERO_SCHEDULE_INSTALLED));
    Map<String, String> before = settledVersions(prod);

    operator.restart();
    int environments =
        client.resources(AppEnvironment.class).inAnyNamespace().list().getItems().size();
    await().atMost(TIMEOUT).until(() -> operator.successfulReconciles() >= environments);

    // Any write the restarted operator's reconciles make reaches the API server within this.
    Steady.unchanged(
        Duration.ofSeconds(2),
        "resourceVersions of the prod sample's objects after the restart",
        () -> resourceVersions(prod),
        before);
  }

  /**
   * The resourceVersions once they have held still for {@link #SETTLED}: a new environment's last
   * writes (the controllers' status of its Deployment and budget among them) are done.
   */
  private static Map<String, String> settledVersions(LiveEnvironment env) {
    AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
    AtomicLong stillSince = new AtomicLong(System.nanoTime());
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Map<String, String> now = resourceVersions(env);
              if (!now.equals(last.getAndSet(now))) {
                stillSince.set(System.nanoTime());
              }
              return System.nanoTime() - stillSince.get() >= SETTLED.toNanos();
            });
    return last.get();
  }

  /** The resourceVersion of the environment and of each object it owns; each must exist. */
  private static Map<String, String> resourceVersions(LiveEnvironment env) {
    AppEnvironment named = env.named();
    Map<String, HasMetadata> objects = new LinkedHashMap<>();
    objects.put("AppEnvironment", env.get());
    objects.put("Service", env.child(Service.class, Names.service(named)));
    objects.put(
        "PodDisruptionBudget",
        env.child(PodDisruptionBudget.class, Names.podDisruptionBudget(named)));
    objects.put("NetworkPolicy", env.child(NetworkPolicy.class, Names.networkPolicy(named)));
    objects.put("Deployment", env.child(Deployment.class, env.deployment(Color.BLUE)));
    objects.put("Preview", env.child(Service.class, Names.previewService(named)));
    objects.put("StatefulSet", env.child(StatefulSet.class, Names.database(named)));
    objects.put("Secret", env.child(Secret.class, Names.databaseCredentials(named)));
    objects.put(
        "ServiceMonitor",
        env.client()
            .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
            .inNamespace(env.namespace())
            .withName(env.name())
            .get());
    Map<String, String> versions = new LinkedHashMap<>();
    objects.forEach(
        (what, object) -> {
          assertThat(object).as(what + " of " + env.namespace()).isNotNull();
          versions.put(what, object.getMetadata().getResourceVersion());
        });
    return versions;
  }
}
