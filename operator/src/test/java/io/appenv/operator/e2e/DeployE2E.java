package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.LeaderPodLabel;
import io.appenv.operator.OperatorProperties;
import io.appenv.operator.Samples;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.appenv.operator.deploy.DeployManifests;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.Labels;
import io.appenv.operator.webhook.RollbackService;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * deploy/ against the real API server: every rendered object is accepted, the Pod meets the
 * restricted Pod Security Standard, and the operator does its whole job as the rendered
 * ServiceAccount, with only the rendered roles (the API server authorizes with RBAC), without a
 * single 403.
 */
@Tag("e2e")
class DeployE2E {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String NS = "appenv-system";
  private static final String PREFIX = "rbac-";
  private static final String MANAGER = "appenv-deploy-e2e";
  private final KubernetesClient admin = LocalCluster.client();

  @Test
  void everyRenderedObjectPassesAServerSideDryRun() {
    // The Namespace for real first, as its sync wave does:
    // namespaced objects cannot be dry-run without it.
    admin.resource(rendered("Namespace").get(0)).fieldManager(MANAGER).serverSideApply();

    for (HasMetadata object : DeployManifests.render()) {
      HasMetadata accepted =
          admin.resource(object).dryRun().fieldManager(MANAGER).forceConflicts().serverSideApply();
      assertThat(accepted.getMetadata().getUid())
          .as(object.getKind() + " " + object.getMetadata().getName())
          .isNotBlank();
    }
  }

  @Test
  void theOperatorPodMeetsTheRestrictedPodSecurityStandardOfItsNamespace() {
    applyRbac();
    Deployment deployment = DeployManifests.one(Deployment.class, "Deployment");
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("pod-security-probe")
            .withNamespace(NS)
            .endMetadata()
            .withSpec(deployment.getSpec().getTemplate().getSpec())
            .build();

    assertThat(admin.resource(pod).dryRun().create()).isNotNull();
    pod.getSpec().getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(true);
    assertThatThrownBy(() -> admin.resource(pod).dryRun().create())
        .as("the namespace enforces it")
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("restricted");
  }

  @Test
  void theOperatorDoesItsWholeJobWithOnlyTheRenderedPermissions() {
    applyRbac();
    ForbiddenRecorder forbidden = new ForbiddenRecorder();
    KubernetesClient asOperator =
        new KubernetesClientBuilder()
            .withConfig(serviceAccountConfig())
            .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("forbidden", forbidden))
            .build();
    assertThatThrownBy(() -> asOperator.nodes().list())
        .as("impersonation works, and so does the recorder")
        .isInstanceOf(KubernetesClientException.class);
    assertThat(forbidden.requests).singleElement().asString().contains("/api/v1/nodes");
    forbidden.requests.clear();

    String lease = env("APPENV_LEADERELECTION_LEASENAME");
    // The replica's own Pod (as an API object: nothing runs in it), which the leader labels.
    Deployment deployment = DeployManifests.one(Deployment.class, "Deployment");
    admin
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("rbac-e2e")
                .withNamespace(NS)
                .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec())
                .build())
        .createOr(existing -> existing.update());
    try (InProcessOperator operator =
        new InProcessOperator(
            asOperator,
            new OperatorProperties.LeaderElection(
                true, lease, NS, "rbac-e2e", Duration.ofSeconds(6), false, "rbac-e2e"))) {
      await().atMost(TIMEOUT).until(() -> "rbac-e2e".equals(holder(lease)));
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(admin.pods().inNamespace(NS).withName("rbac-e2e").get())
                      .as("the leader labels its own Pod, for the webhook's Service")
                      .isNotNull()
                      .satisfies(
                          pod ->
                              assertThat(pod.getMetadata().getLabels())
                                  .containsEntry(LeaderPodLabel.LABEL, "true")));

      List<AppEnvironment> environments = applySamples();
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(environments)
                      .allSatisfy(
                          env -> {
                            LiveEnvironment live = live(env);
                            assertThat(live.ready())
                                .as(
                                    () ->
                                        env.getMetadata().getNamespace()
                                            + "/"
                                            + live.name()
                                            + " "
                                            + live.describeStatus())
                                .isTrue();
                          }));
      assertThat(forbidden.requests).as("403s while creating the environments").isEmpty();

      aConfigMapEditedByHandIsPutBack();
      assertThat(forbidden.requests)
          .as("403s while repairing a ConfigMap (JOSDK writes them with PUT)")
          .isEmpty();

      blueGreenReleaseThenRollbackThroughTheWebhooksService(asOperator);
      assertThat(forbidden.requests).as("403s during the release and the rollback").isEmpty();

      environments.forEach(env -> admin.resource(env).delete());
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  environments.forEach(
                      env ->
                          assertThat(ownedObjects(env.getMetadata().getNamespace()))
                              .as(env.getMetadata().getNamespace())
                              .isEmpty()));
      assertThat(forbidden.requests).as("403s of the operator's client").isEmpty();
    } finally {
      // appenv-system and the roles stay (cluster-wide and harmless); the samples' namespaces go.
      admin.pods().inNamespace(NS).withName("rbac-e2e").delete();
      Samples.files()
          .forEach(
              file ->
                  Samples.objects(file).stream()
                      .filter(o -> "Namespace".equals(o.getKind()))
                      .forEach(
                          ns ->
                              admin
                                  .namespaces()
                                  .withName(PREFIX + ns.getMetadata().getName())
                                  .delete()));
    }
  }

  /**
   * ConfigMaps and Secrets are not server-side applied by JOSDK: repairing one takes the update
   * verb.
   */
  private void aConfigMapEditedByHandIsPutBack() {
    var configMaps = admin.configMaps().inNamespace(PREFIX + "telemetry-dev");
    String name = "telemetry-db-init";
    Map<String, String> original = configMaps.withName(name).get().getData();
    configMaps
        .withName(name)
        .edit(
            cm -> {
              cm.getData().replaceAll((key, value) -> "# edited by hand");
              return cm;
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(configMaps.withName(name).get().getData()).isEqualTo(original));
  }

  private void blueGreenReleaseThenRollbackThroughTheWebhooksService(KubernetesClient asOperator) {
    String ns = PREFIX + "telemetry-dev";
    LiveEnvironment dev = new LiveEnvironment(admin, ns, "telemetry");
    dev.setImage("ghcr.io/appenv/telemetry:0.2.0");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(dev.activeColor()).isEqualTo("green");
              assertThat(dev.servingColor()).isEqualTo("green");
            });

    // The webhook runs in the operator's process, with its
    // client: RollbackService as the ServiceAccount.
    RollbackService rollbacks = FiringAlert.rollbackService(asOperator);
    RollbackService.Outcome outcome =
        rollbacks.handle(FiringAlert.of(ns, dev.name()).alert(Instant.now(), "rbac"));

    assertThat(outcome.rolledBack()).as(outcome.reason()).isTrue();
    assertThat(dev.servingColor()).isEqualTo("blue");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(dev.phase()).isEqualTo(Phase.RolledBack);
              assertThat(dev.replicas(Color.GREEN)).isZero();
            });
    assertThat(admin.v1().events().inNamespace(ns).list().getItems())
        .as("Events written as the ServiceAccount")
        .anyMatch(e -> "RolledBack".equals(e.getReason()));
  }

  /**
   * The samples, each in a namespace of its own for this test, applied the way a user or Argo CD
   * does.
   */
  private List<AppEnvironment> applySamples() {
    List<AppEnvironment> environments = new ArrayList<>();
    for (var file : Samples.files()) {
      for (HasMetadata object : Samples.objects(file)) {
        if ("Namespace".equals(object.getKind())) {
          object.getMetadata().setName(PREFIX + object.getMetadata().getName());
        } else {
          object.getMetadata().setNamespace(PREFIX + object.getMetadata().getNamespace());
        }
        admin.resource(object).fieldManager(MANAGER).serverSideApply();
      }
      AppEnvironment env = Samples.appEnvironment(file);
      env.getMetadata().setNamespace(PREFIX + env.getMetadata().getNamespace());
      environments.add(env);
    }
    return environments;
  }

  /**
   * What garbage collection must remove; database credentials and volumes may be kept by
   * deletionPolicy.
   */
  private List<String> ownedObjects(String ns) {
    var managed = Map.of(Labels.MANAGED_BY, Labels.MANAGER);
    List<HasMetadata> left = new ArrayList<>();
    left.addAll(admin.apps().deployments().inNamespace(ns).withLabels(managed).list().getItems());
    left.addAll(admin.apps().statefulSets().inNamespace(ns).withLabels(managed).list().getItems());
    left.addAll(admin.services().inNamespace(ns).withLabels(managed).list().getItems());
    left.addAll(admin.configMaps().inNamespace(ns).withLabels(managed).list().getItems());
    left.addAll(
        admin.batch().v1().cronjobs().inNamespace(ns).withLabels(managed).list().getItems());
    left.addAll(
        admin
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace(ns)
            .withLabels(managed)
            .list()
            .getItems());
    left.addAll(
        admin
            .network()
            .v1()
            .networkPolicies()
            .inNamespace(ns)
            .withLabels(managed)
            .list()
            .getItems());
    left.addAll(
        admin
            .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
            .inNamespace(ns)
            .withLabels(managed)
            .list()
            .getItems());
    return left.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
  }

  /**
   * The Namespace, ServiceAccount and roles of deploy/, applied for real (as an administrator
   * does).
   */
  private void applyRbac() {
    for (String kind :
        List.of(
            "Namespace",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding")) {
      rendered(kind)
          .forEach(o -> admin.resource(o).fieldManager(MANAGER).forceConflicts().serverSideApply());
    }
  }

  /**
   * The admin's kubeconfig, impersonating the ServiceAccount with the groups its token would carry.
   */
  private static Config serviceAccountConfig() {
    HasMetadata account = rendered("ServiceAccount").get(0);
    Config config = LocalCluster.config();
    config.setImpersonateUsername(
        "system:serviceaccount:"
            + account.getMetadata().getNamespace()
            + ":"
            + account.getMetadata().getName());
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated");
    return config;
  }

  private static List<HasMetadata> rendered(String kind) {
    return DeployManifests.render().stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  private static String env(String name) {
    return DeployManifests.one(Deployment.class, "Deployment")
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .filter(e -> name.equals(e.getName()))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow();
  }

  private String holder(String lease) {
    Lease current = admin.leases().inNamespace(NS).withName(lease).get();
    return current == null ? null : current.getSpec().getHolderIdentity();
  }

  private LiveEnvironment live(AppEnvironment env) {
    return new LiveEnvironment(
        admin, env.getMetadata().getNamespace(), env.getMetadata().getName());
  }

  /** Every request the API server refused with 403, as "METHOD uri". */
  private static final class ForbiddenRecorder implements Interceptor {
    final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public void after(
        HttpRequest request,
        HttpResponse<?> response,
        AsyncBody.Consumer<List<ByteBuffer>> consumer) {
      if (response.code() == 403) {
        requests.add(request.method() + " " + request.uri());
      }
    }
  }
}
