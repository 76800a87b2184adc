package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies and security contexts the operator writes, enforced on the real node
 * (kube-router's firewall, containerd): each case is a TCP connection tried from a real pod, or a
 * command run inside a running container. The prod sample is the target: its app, its database, and
 * `allowFrom` naming the namespace `ingress-nginx`.
 */
@Tag("e2e")
// After RealNodeE2E, on the cluster it leaves running; before MonitoringE2E (see RealNodeE2E).
@Order(Order.DEFAULT + 4)
class NetworkPolicyE2E {
  private static final String PROD = "telemetry-prod";
  private static final String APP = "telemetry";
  private static final String APP_HOST = APP + "." + PROD + ".svc.cluster.local";
  private static final String DB_HOST = APP + "-db." + PROD + ".svc.cluster.local";
  private static final String ELSEWHERE = "policy-elsewhere";
  private static final String INGRESS = "ingress-nginx";
  private static final AtomicInteger PROBES = new AtomicInteger();
  private static KubernetesClient client;

  @BeforeAll
  static void cluster() {
    client = RealNodeCluster.client();
    for (String ns : List.of(ELSEWHERE, INGRESS)) {
      client
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
  }

  @Test
  void anotherNamespaceReachesNeitherTheAppNorTheDatabase() {
    assertThat(connects(ELSEWHERE, Map.of(), APP_HOST, 8080)).isFalse();
    assertThat(connects(ELSEWHERE, Map.of(), DB_HOST, 5432)).isFalse();
    // The same pod labels as the prod app's, in another namespace: labels alone open nothing.
    assertThat(connects(ELSEWHERE, selector(Labels.COMPONENT_APP), DB_HOST, 5432)).isFalse();
  }

  @Test
  void allowFromOpensTheAppToTheNamespaceItNamesAndNothingMore() {
    assertThat(reaches(INGRESS, Map.of(), APP_HOST, 8080)).isTrue();
    assertThat(connects(INGRESS, Map.of(), DB_HOST, 5432)).isFalse();
  }

  @Test
  void prometheusInAnyNamespaceReachesTheMetricsPort() {
    assertThat(reaches(ELSEWHERE, Map.of(Labels.NAME, "prometheus"), APP_HOST, 8080)).isTrue();
  }

  @Test
  void inItsNamespaceOnlyTheAppTheBackupAndTheRolesJobReachTheDatabase() {
    assertThat(reaches(PROD, selector(Labels.COMPONENT_APP), DB_HOST, 5432)).isTrue();
    assertThat(reaches(PROD, selector(Labels.COMPONENT_BACKUP), DB_HOST, 5432)).isTrue();
    assertThat(reaches(PROD, selector(Labels.COMPONENT_DATABASE_ADMIN), DB_HOST, 5432)).isTrue();
    assertThat(connects(PROD, Map.of(), DB_HOST, 5432)).isFalse();
  }

  @Test
  void everyContainerOfTheEnvironmentRunsAsNonRootWithoutPrivilegeEscalation() {
    List<Pod> pods =
        client.pods().inNamespace(PROD).withLabel(Labels.INSTANCE, APP).list().getItems().stream()
            .filter(p -> "Running".equals(p.getStatus().getPhase()))
            .toList();
    assertThat(pods)
        .extracting(p -> p.getMetadata().getLabels().get(Labels.COMPONENT))
        .contains(Labels.COMPONENT_APP, Labels.COMPONENT_DATABASE);
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String container = pod.getSpec().getContainers().get(0).getName();
      assertThat(exec(pod, container, "id", "-u").trim()).as(name + ": uid").isNotEqualTo("0");
      assertThat(exec(pod, container, "grep", "NoNewPrivs", "/proc/1/status"))
          .as(name + ": no privilege escalation")
          .containsPattern("NoNewPrivs:\\s+1");
      if (Boolean.TRUE.equals(
          pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())) {
        assertThat(exec(pod, container, "sh", "-c", "touch /written 2>&1; echo exit=$?"))
            .as(name + ": read-only root filesystem")
            .contains("Read-only file system")
            .doesNotContain("exit=0");
      }
    }
    assertThat(pods)
        .as("the app's root filesystem is read-only")
        .anySatisfy(
            p ->
                assertThat(
                        p.getSpec()
                            .getContainers()
                            .get(0)
                            .getSecurityContext()
                            .getReadOnlyRootFilesystem())
                    .isTrue());
  }

  /** The selector labels of a component of the prod environment, as the operator writes them. */
  private static Map<String, String> selector(String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.NAME, APP);
    labels.put(Labels.INSTANCE, APP);
    labels.put(Labels.COMPONENT, component);
    return labels;
  }

  /**
   * Whether a pod with these labels connects, tried up to five times a second apart: a new pod's
   * address reaches the policy agent's allow lists (kube-router) a moment after the pod starts,
   * later on a busy machine, so an allowed connection may be dropped at first.
   */
  private static boolean reaches(String ns, Map<String, String> labels, String host, int port) {
    return connects(ns, labels, host, port, 5);
  }

  /** Whether a pod with these labels connects at its one try: a refused one stays refused. */
  private static boolean connects(String ns, Map<String, String> labels, String host, int port) {
    return connects(ns, labels, host, port, 1);
  }

  /**
   * A busybox pod on the real node that tries a TCP connection (3 s connect timeout) as many times
   * as it is told, a second apart, and ends: Succeeded when one was made.
   */
  private static boolean connects(
      String ns, Map<String, String> labels, String host, int port, int attempts) {
    String name = "probe-" + PROBES.incrementAndGet();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withAutomountServiceAccountToken(false)
            .addNewContainer()
            .withName("probe")
            .withImage("appenv.local/busybox:debian")
            .withImagePullPolicy("Never")
            .withCommand(
                "sh",
                "-c",
                "for attempt in $(seq \"$2\"); do nc -w 3 \"$0\" \"$1\" -e /bin/true && exit 0;"
                    + " sleep 1; done; exit 1",
                host,
                String.valueOf(port),
                String.valueOf(attempts))
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(65534L)
            .withAllowPrivilegeEscalation(false)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    try {
      Pod ended =
          client
              .resource(pod)
              .waitUntilCondition(
                  p ->
                      p != null
                          && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()),
                  2,
                  TimeUnit.MINUTES);
      return "Succeeded".equals(ended.getStatus().getPhase());
    } finally {
      client.resource(pod).withGracePeriod(0).delete();
    }
  }

  private static String exec(Pod pod, String container, String... command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var watch =
        client
            .pods()
            .resource(pod)
            .inContainer(container)
            .writingOutput(out)
            .writingError(out)
            .exec(command)) {
      watch.exitCode().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("exec " + String.join(" ", command) + " in " + pod, e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
