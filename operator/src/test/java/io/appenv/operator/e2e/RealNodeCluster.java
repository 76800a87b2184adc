package io.appenv.operator.e2e;

import io.appenv.operator.Samples;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentSpec;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The local cluster with its container-running node, brought up by {@code hack/run.sh} itself (what
 * {@code make run} runs): images built here and loaded into the node, the operator installed from
 * deploy/, the samples applied and Ready, one reading sent through the app's Service. Started once
 * per test JVM in its own state dir and ports (21xxx: GitOpsCluster and the scale benchmark use
 * 23xxx); the machine has one real node, so a `make run` cluster must be stopped first (the script
 * says so). If it cannot start, the tests fail: they never skip.
 */
final class RealNodeCluster {
  private static final Path ROOT = Samples.crdsDir().getParent().toAbsolutePath().normalize();
  static final Path STATE = Path.of("target", "real-node-cluster").toAbsolutePath();
  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "APPENV_STATE_DIR",
          STATE.toString(),
          "APPENV_LOCAL_CLUSTER",
          "true",
          "APPENV_REAL_NODE",
          "true",
          "APPENV_RUN_ONCE",
          "true",
          "APPENV_KEEP_CLUSTER",
          "true",
          "APPENV_ETCD_PORT",
          "21379",
          "APPENV_ETCD_PEER_PORT",
          "21380",
          "APPENV_KCM_PORT",
          "21257",
          "APPENV_SCHEDULER_PORT",
          "21259");
  private static KubernetesClient client;
  private static long upSeconds;

  private RealNodeCluster() {}

  static synchronized KubernetesClient client() {
    if (client == null) {
      long start = System.nanoTime();
      run(
          List.of(
              "bash",
              ROOT.resolve("hack/cluster-down.sh").toString(),
              "--purge",
              STATE.toString()));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      run(
                          List.of(
                              "bash",
                              ROOT.resolve("hack/cluster-down.sh").toString(),
                              "--purge",
                              STATE.toString()))));
      run(List.of("bash", ROOT.resolve("hack/run.sh").toString()));
      upSeconds = (System.nanoTime() - start) / 1_000_000_000L;
      try {
        client =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(STATE.resolve("kubeconfig"))))
                .build();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return client;
  }

  /** The checkout whose hack/ scripts run the cluster. */
  static Path root() {
    return ROOT;
  }

  static Path kubeconfig() {
    return STATE.resolve("kubeconfig");
  }

  /** How long `make run`'s script took, from nothing to the samples Ready on real pods. */
  static long upSeconds() {
    client();
    return upSeconds;
  }

  /**
   * What `kubectl describe` would say about the pods a test waits on: phase, conditions, each
   * container's state and last exit, and the namespace's Warning events, so a timeout in CI says
   * why.
   */
  static String describePods(String namespace, String label, String value) {
    StringBuilder out = new StringBuilder();
    for (Pod pod :
        client().pods().inNamespace(namespace).withLabel(label, value).list().getItems()) {
      out.append("\npod ")
          .append(pod.getMetadata().getName())
          .append(" on ")
          .append(pod.getSpec().getNodeName())
          .append(": ")
          .append(pod.getStatus().getPhase());
      pod.getStatus()
          .getConditions()
          .forEach(
              c ->
                  out.append("\n  ")
                      .append(c.getType())
                      .append('=')
                      .append(c.getStatus())
                      .append(c.getMessage() == null ? "" : " " + c.getMessage()));
      for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
        out.append("\n  container ")
            .append(container.getName())
            .append(" restarts=")
            .append(container.getRestartCount())
            .append(" state=")
            .append(container.getState())
            .append(" last=")
            .append(container.getLastState());
      }
    }
    client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()))
        .forEach(
            e ->
                out.append("\nevent ")
                    .append(e.getInvolvedObject().getName())
                    .append(' ')
                    .append(e.getReason())
                    .append(" x")
                    .append(e.getCount())
                    .append(": ")
                    .append(e.getMessage()));
    return out.length() == 0 ? "(no pods, no warnings)" : out.toString();
  }

  /**
   * Applies an environment read from the cluster as {@code manager}, taking its fields over, as a
   * user's `kubectl apply --server-side --force-conflicts` of an edited copy would.
   */
  static AppEnvironment applyAs(String manager, AppEnvironment env) {
    env.getMetadata().setManagedFields(null);
    env.getMetadata().setResourceVersion(null);
    env.setStatus(null);
    return client().resource(env).fieldManager(manager).forceConflicts().serverSideApply();
  }

  /** The operator's Pods in appenv-system (deploy/ runs two replicas). */
  static List<Pod> operatorPods() {
    return client()
        .pods()
        .inNamespace("appenv-system")
        .withLabel(Labels.NAME, "appenv-operator")
        .list()
        .getItems();
  }

  /** The API keys `make run` generated for the samples; the cluster holds only their hashes. */
  static Map<String, String> apiKeys() throws IOException {
    String cache =
        System.getenv()
            .getOrDefault("APPENV_CACHE", System.getProperty("user.home") + "/.cache/appenv");
    return Files.readAllLines(Path.of(cache, "telemetry-api-keys.env")).stream()
        .filter(line -> line.contains("="))
        .collect(
            Collectors.toMap(
                line -> line.substring(0, line.indexOf('=')),
                line -> line.substring(line.indexOf('=') + 1)));
  }

  /**
   * The dev sample without backups in a namespace of its own, whose API-key Secret holds only
   * {@code readKey}'s hash, changed by {@code change} and applied as {@code manager}; returns what
   * was applied.
   */
  static AppEnvironment devSampleIn(
      String namespace, String readKey, String manager, Consumer<AppEnvironmentSpec> change)
      throws Exception {
    client()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("telemetry-api-keys")
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of("keys", AlarmStack.sha256(readKey) + ":read"))
                .build())
        .serverSideApply();
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve("dev.yaml"));
    env.getMetadata().setNamespace(namespace);
    env.getSpec().setBackup(null);
    env.getSpec().getApp().setEnv(new ArrayList<>(env.getSpec().getApp().getEnv()));
    change.accept(env.getSpec());
    client().resource(env).fieldManager(manager).forceConflicts().serverSideApply();
    return env;
  }

  /** containerd's own client on the real node, in the namespace the kubelet uses. */
  static void ctr(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ctr",
                "--address",
                "/run/appenv-node/containerd/containerd.sock",
                "--namespace",
                "k8s.io"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + output);
    }
  }

  /** The end of each component's log: the state dir is deleted when the JVM ends. */
  private static String logTails() {
    StringBuilder tails = new StringBuilder();
    try (var logs = Files.list(STATE.resolve("logs"))) {
      for (Path log : logs.sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        tails
            .append("\n--- ")
            .append(log.getFileName())
            .append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      }
    } catch (IOException e) {
      tails.append("\n(no logs: ").append(e.getMessage()).append(')');
    }
    return tails.toString();
  }

  private static void run(List<String> command) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .directory(ROOT.toFile());
      builder.environment().putAll(ENVIRONMENT);
      builder.environment().remove("KUBECONFIG");
      Process process = builder.start();
      if (!process.waitFor(40, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("failed: " + String.join(" ", command) + logTails());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
