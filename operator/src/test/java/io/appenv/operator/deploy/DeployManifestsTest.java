package io.appenv.operator.deploy;

import static io.appenv.operator.deploy.DeployManifests.one;
import static io.appenv.operator.deploy.DeployManifests.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.operator.LeaderPodLabel;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ as kustomize renders it: the least privilege the code needs, and a hardened, sized
 * workload.
 */
class DeployManifestsTest {
  private static final String NAMESPACE = "appenv-system";

  /**
   * Live heap after a full GC with 1,000 environments, measured by make bench-scale
   * (docs/benchmarks.md, "Scale").
   */
  private static final long LIVE_HEAP_AT_1000_ENVIRONMENTS_MIB = 155;

  @Test
  void noRuleUsesAWildcardOrANonResourceUrl() {
    List<PolicyRule> rules =
        Stream.concat(
                one(ClusterRole.class, "ClusterRole").getRules().stream(),
                one(Role.class, "Role").getRules().stream())
            .toList();

    assertThat(rules)
        .allSatisfy(
            rule -> {
              assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
              assertThat(
                      Stream.of(
                              rule.getApiGroups(),
                              rule.getResources(),
                              rule.getVerbs(),
                              rule.getResourceNames())
                          .filter(l -> l != null)
                          .flatMap(List::stream))
                  .noneMatch(s -> s.contains("*"));
            });
  }

  @Test
  void theClusterRoleGrantsExactlyWhatTheCodeNeeds() {
    Set<String> granted =
        OperatorPermissions.granted(one(ClusterRole.class, "ClusterRole").getRules());
    Set<String> needed = OperatorPermissions.clusterWide();

    assertThat(difference(granted, needed)).as("rules the code does not need").isEmpty();
    assertThat(difference(needed, granted)).as("needs of the code without a rule").isEmpty();
  }

  @Test
  void theLeaderElectionRoleGrantsTheOneLeaseTheDeploymentNames() {
    Role role = one(Role.class, "Role");
    String lease = env(container()).get("APPENV_LEADERELECTION_LEASENAME").getValue();

    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(
            env(container())
                .get("APPENV_LEADERELECTION_LEASENAMESPACE")
                .getValueFrom()
                .getFieldRef()
                .getFieldPath())
        .as("the Lease lives where the Role is")
        .isEqualTo("metadata.namespace");
    assertThat(OperatorPermissions.granted(role.getRules()))
        .isEqualTo(OperatorPermissions.leaderElection(lease));
  }

  @Test
  void theBindingsGiveBothRolesToTheDeploymentsServiceAccount() {
    String account = pod().getServiceAccountName();
    ClusterRoleBinding cluster = one(ClusterRoleBinding.class, "ClusterRoleBinding");
    RoleBinding leader = one(RoleBinding.class, "RoleBinding");

    assertThat(cluster.getRoleRef().getName())
        .isEqualTo(one(ClusterRole.class, "ClusterRole").getMetadata().getName());
    assertThat(leader.getRoleRef().getName())
        .isEqualTo(one(Role.class, "Role").getMetadata().getName());
    for (var subjects : List.of(cluster.getSubjects(), leader.getSubjects())) {
      assertThat(subjects)
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getName()).isEqualTo(account);
                assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
              });
    }
  }

  @Test
  void theDeploymentRunsTwoReplicasWithLeaderElectionAndServerSideApplyAsTheRolesAssume() {
    Deployment deployment = one(Deployment.class, "Deployment");
    Map<String, EnvVar> env = env(container());

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(env.get("APPENV_LEADERELECTION_ENABLED").getValue()).isEqualTo("true");
    assertThat(env)
        .as("the ClusterRole has no update for owned objects: server-side apply must stay on")
        .doesNotContainKey("APPENV_SERVERSIDEAPPLY");
    assertThat(
            pod()
                .getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            term -> {
              assertThat(term.getPodAffinityTerm().getTopologyKey())
                  .isEqualTo("kubernetes.io/hostname");
              assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                  .isEqualTo(podLabels());
            });
    assertThat(one(PodDisruptionBudget.class, "PodDisruptionBudget").getSpec())
        .satisfies(
            pdb -> {
              assertThat(pdb.getMinAvailable().getIntVal()).isEqualTo(1);
              assertThat(pdb.getSelector().getMatchLabels()).isEqualTo(podLabels());
            });
  }

  @Test
  void thePodIsNonRootReadOnlyWithoutCapabilitiesAndWithTheRuntimeDefaultSeccompProfile() {
    PodSpec pod = pod();
    Container container = container();

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext())
        .satisfies(
            sc -> {
              assertThat(sc.getRunAsNonRoot())
                  .as("not overridden per container")
                  .isNotEqualTo(false);
              assertThat(sc.getPrivileged()).isNotEqualTo(true);
              assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
              assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
              assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
              assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
              assertThat(sc.getSeccompProfile()).as("not overridden per container").isNull();
            });
    String tmpVolume =
        container.getVolumeMounts().stream()
            .filter(m -> "/tmp".equals(m.getMountPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no writable /tmp"))
            .getName();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals(tmpVolume))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void resourcesAndJvmFlagsAreSetAndTheHeapFitsTheMemoryLimit() {
    var resources = container().getResources();
    String flags = env(container()).get("JAVA_TOOL_OPTIONS").getValue();

    assertThat(resources.getRequests()).containsKeys("cpu", "memory");
    assertThat(resources.getLimits()).containsKeys("cpu", "memory");
    assertThat(resources.getRequests().get("memory"))
        .isEqualTo(resources.getLimits().get("memory"));
    Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(flags);
    assertThat(percentage.find()).as("the heap is a share of the limit, not -Xmx").isTrue();
    assertThat(flags).doesNotContain("-Xmx");
    assertThat(flags).contains("-XX:+UseSerialGC");
    // docs/benchmarks.md, "Scale": SerialGC's old generation (NewRatio / (NewRatio + 1) of the
    // largest heap) must be able to hold the live data of 1,000 environments 1.4 times; the heap
    // grows to that only under load, the free ratios keep it near the live data otherwise. About
    // 150 MiB was measured above the heap (metaspace, code, threads, symbols): leave 200.
    Matcher newRatio = Pattern.compile("-XX:NewRatio=(\\d+)").matcher(flags);
    int oldGenerationShares = newRatio.find() ? Integer.parseInt(newRatio.group(1)) : 2;
    long limitMiB = resources.getLimits().get("memory").getNumericalAmount().longValue() >> 20;
    long heapMiB = limitMiB * Integer.parseInt(percentage.group(1)) / 100;
    assertThat(heapMiB * oldGenerationShares / (oldGenerationShares + 1))
        .isGreaterThanOrEqualTo(LIVE_HEAP_AT_1000_ENVIRONMENTS_MIB * 7 / 5);
    assertThat(limitMiB - heapMiB).isGreaterThanOrEqualTo(200);
  }

  @Test
  void probesUseTheActuatorEndpointsAndTheServicesReachTheHttpPort() {
    Container container = container();

    assertThat(container.getLivenessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/liveness");
    assertThat(container.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/readiness");
    assertThat(container.getStartupProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/liveness");
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort())
                  .isEqualTo(Integer.parseInt(env(container).get("APPENV_HTTP_PORT").getValue()));
            });
    assertThat(services())
        .hasSize(2)
        .allSatisfy(
            service ->
                assertThat(service.getSpec().getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http")));
    JsonNode monitor = Serialization.jsonMapper().valueToTree(object("ServiceMonitor"));
    JsonNode endpoint = monitor.at("/spec/endpoints/0");
    assertThat(endpoint.path("path").asText()).isEqualTo("/actuator/prometheus");
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    Map<String, String> monitored =
        Serialization.jsonMapper()
            .convertValue(monitor.at("/spec/selector/matchLabels"), Map.class);
    assertThat(services())
        .as("the ServiceMonitor scrapes every replica, through one Service")
        .filteredOn(s -> s.getMetadata().getLabels().entrySet().containsAll(monitored.entrySet()))
        .singleElement()
        .satisfies(s -> assertThat(s.getSpec().getSelector()).isEqualTo(podLabels()));
  }

  /** Alertmanager's URL names the Service that selects the leader's Pod only. */
  @Test
  void theWebhooksServiceSelectsOnlyTheLeadersPod() {
    Service webhook =
        services().stream()
            .filter(s -> "appenv-operator".equals(s.getMetadata().getName()))
            .findFirst()
            .orElseThrow();
    Map<String, String> selector = new java.util.HashMap<>(podLabels());
    selector.put(LeaderPodLabel.LABEL, "true");

    assertThat(webhook.getSpec().getSelector()).isEqualTo(selector);
    assertThat(
            env(container())
                .get("APPENV_LEADERELECTION_PODNAME")
                .getValueFrom()
                .getFieldRef()
                .getFieldPath())
        .as("the leader labels its own Pod")
        .isEqualTo("metadata.name");
  }

  private static List<Service> services() {
    return render().stream()
        .filter(o -> "Service".equals(o.getKind()))
        .map(o -> Serialization.jsonMapper().convertValue(o, Service.class))
        .toList();
  }

  @Test
  void theWebhookTokenComesFromASecretThatIsNotInGit() {
    var ref = env(container()).get("APPENV_WEBHOOK_TOKEN").getValueFrom().getSecretKeyRef();

    assertThat(ref.getName()).isEqualTo("appenv-webhook-token");
    assertThat(render()).noneMatch(o -> "Secret".equals(o.getKind()));
  }

  @Test
  void theNetworkPolicyLetsInOnlyTheHttpPortAndOutOnlyTheApiServerDnsAndPrometheus() {
    NetworkPolicy policy = one(NetworkPolicy.class, "NetworkPolicy");

    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(podLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
              assertThat(rule.getFrom())
                  .allSatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNotNull());
            });
    assertThat(policy.getSpec().getEgress())
        .flatExtracting(r -> r.getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactlyInAnyOrder("TCP/443", "TCP/6443", "UDP/53", "TCP/53", "TCP/9090");
    // Prometheus' API (the release report's error rates) only on Prometheus' own pods.
    assertThat(policy.getSpec().getEgress())
        .filteredOn(r -> r.getPorts().get(0).getPort().getIntVal() == 9090)
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getTo())
                    .singleElement()
                    .satisfies(
                        peer ->
                            assertThat(peer.getPodSelector().getMatchLabels())
                                .containsEntry("app.kubernetes.io/name", "prometheus")));
  }

  @Test
  void syncWavesPutTheCrdAndNamespaceFirstThenRbacThenTheWorkload() {
    Map<String, String> expected =
        Map.of(
            "Namespace",
            "-1",
            "CustomResourceDefinition",
            "-1",
            "ServiceAccount",
            "0",
            "ClusterRole",
            "0",
            "ClusterRoleBinding",
            "0",
            "Role",
            "0",
            "RoleBinding",
            "0");

    assertThat(render())
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getAnnotations())
                    .as(o.getKind())
                    .containsEntry(
                        "argocd.argoproj.io/sync-wave", expected.getOrDefault(o.getKind(), "1")));
    assertThat(render())
        .filteredOn(o -> o.getMetadata().getNamespace() != null)
        .allSatisfy(
            o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(NAMESPACE));
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> result = new TreeSet<>(a);
    result.removeAll(b);
    return result;
  }

  private static HasMetadata object(String kind) {
    return render().stream().filter(o -> kind.equals(o.getKind())).findFirst().orElseThrow();
  }

  private static PodSpec pod() {
    return one(Deployment.class, "Deployment").getSpec().getTemplate().getSpec();
  }

  private static Map<String, String> podLabels() {
    return one(Deployment.class, "Deployment").getSpec().getTemplate().getMetadata().getLabels();
  }

  private static Container container() {
    return pod().getContainers().get(0);
  }

  private static Map<String, EnvVar> env(Container container) {
    return container.getEnv().stream()
        .collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
  }
}
