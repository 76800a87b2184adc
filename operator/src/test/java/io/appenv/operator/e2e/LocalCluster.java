package io.appenv.operator.e2e;

import io.appenv.operator.Samples;
import io.appenv.operator.Tools;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The full local control plane of hack/ (etcd, kube-apiserver, controller-manager, scheduler) with
 * kwok nodes only, started once per test JVM on its own ports, or the cluster of
 * APPENV_E2E_KUBECONFIG when set. The real node has a cluster of its own: {@link RealNodeCluster}.
 * If it cannot start, the tests fail: they never skip.
 */
public final class LocalCluster {
  private static final Path HACK =
      Samples.crdsDir().resolveSibling("hack").toAbsolutePath().normalize();

  /**
   * Ports apart from `make run`'s cluster, so both can run at once, and below the kernel's
   * ephemeral range (32768-60999), where an outgoing connection could take one first.
   * APPENV_E2E_PORT_OFFSET moves them, so that two checkouts can run their e2e tiers side by side.
   */
  private static final int OFFSET =
      Integer.parseInt(System.getenv().getOrDefault("APPENV_E2E_PORT_OFFSET", "0"));

  private static final Map<String, String> PORTS =
      Map.of(
          "APPENV_ETCD_PORT",
          port(22379),
          "APPENV_ETCD_PEER_PORT",
          port(22380),
          "APPENV_APISERVER_PORT",
          port(26443),
          "APPENV_KCM_PORT",
          port(26257),
          "APPENV_SCHEDULER_PORT",
          port(26259),
          "APPENV_REAL_NODE",
          "false");
  private static Path kubeconfig;
  private static KubernetesClient client;

  private LocalCluster() {}

  private static String port(int base) {
    return String.valueOf(base + OFFSET);
  }

  public static synchronized KubernetesClient client() {
    if (client == null) {
      kubeconfig = start();
      client = new KubernetesClientBuilder().withConfig(config()).build();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName("appenvironments.platform.appenv.io")
          .waitUntilCondition(
              crd ->
                  crd != null
                      && crd.getStatus() != null
                      && crd.getStatus().getConditions() != null
                      && crd.getStatus().getConditions().stream()
                          .anyMatch(
                              c ->
                                  "Established".equals(c.getType())
                                      && "True".equals(c.getStatus())),
              60,
              TimeUnit.SECONDS);
    }
    return client;
  }

  /** The kubeconfig file of the cluster, for processes that read one. */
  public static synchronized Path kubeconfig() {
    client();
    return kubeconfig;
  }

  /** A fresh client for an in-process operator (operators close or reconfigure their clients). */
  public static Config config() {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Path STATE = Path.of("target", "e2e-cluster").toAbsolutePath();

  /**
   * Restarts one process of the cluster (etcd, kube-apiserver, ...) with its own command line, as a
   * fault would: SIGTERM, or SIGKILL. Returns once the API server answers again. After etcd, kwok
   * is started again too: the fake node drops a pod's status patch that failed while etcd was away
   * (it retries only a refused connection, a timeout, 503 and 429), where a kubelet would sync the
   * status again within seconds; started again, it plays every pod's stages anew, as that sync
   * would.
   */
  public static void restart(String component, boolean kill) {
    restartProcess(component, kill);
    if ("etcd".equals(component)) {
      restartProcess("kwok", false);
    }
  }

  private static void restartProcess(String component, boolean kill) {
    client();
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", HACK.resolve("restart-component.sh").toString()));
    if (kill) {
      command.add("--kill");
    }
    command.addAll(List.of(STATE.toString(), component));
    run(command, null);
  }

  private static Path start() {
    String given = System.getenv("APPENV_E2E_KUBECONFIG");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Path state = STATE;
    run(
        List.of("bash", HACK.resolve("cluster-up.sh").toString(), "--fresh", state.toString()),
        null);
    if (!"true"
        .equals(System.getenv("APPENV_E2E_KEEP_CLUSTER"))) { // kept: its logs, to see what failed
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      run(
                          List.of(
                              "bash",
                              HACK.resolve("cluster-down.sh").toString(),
                              "--purge",
                              state.toString()),
                          null)));
    }
    Path config = state.resolve("kubeconfig");
    run(List.of("bash", HACK.resolve("upstream-crds.sh").toString(), "--apply"), config);
    run(
        List.of(Tools.kubectl(), "apply", "--server-side", "-f", Samples.crdsDir().toString()),
        config);
    return config;
  }

  private static void run(List<String> command, Path kubeconfigFile) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT);
      builder.environment().putAll(PORTS);
      if (kubeconfigFile != null) {
        builder.environment().put("KUBECONFIG", kubeconfigFile.toString());
      }
      Process process = builder.start();
      if (!process.waitFor(40, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("failed: " + String.join(" ", command));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
