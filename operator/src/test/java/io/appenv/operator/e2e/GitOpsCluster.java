package io.appenv.operator.e2e;

import io.appenv.operator.Samples;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local control plane with kwok nodes (hack/cluster-up.sh) and Argo CD beside it with its git
 * server (hack/argocd-up.sh), on ports of its own: apart from LocalCluster's, `make run`'s and Argo
 * CD's defaults, and moved by APPENV_E2E_PORT_OFFSET like LocalCluster's. No CRD of appenv is
 * installed: Argo CD brings it. A missing Argo CD binary is built (hack/argocd-build.sh); if
 * anything fails, the tests fail.
 */
final class GitOpsCluster implements AutoCloseable {
  static final Path HACK = Samples.crdsDir().resolveSibling("hack").toAbsolutePath().normalize();
  private static final int OFFSET =
      Integer.parseInt(System.getenv().getOrDefault("APPENV_E2E_PORT_OFFSET", "0"));

  final Path state;
  final Path kubeconfig;

  /** host:port of argocd-server (API only, plain HTTP on loopback). */
  final String argoCdServer;

  /** The local git server's repository, the one every Argo CD object of this cluster names. */
  final String gitUrl;

  /** The Argo CD CLI of hack/argocd-build.sh, linked under the state dir. */
  final Path argoCdCli;

  private final Map<String, String> environment;

  private GitOpsCluster(Path state, Map<String, String> environment, Map<String, String> exports) {
    this.state = state;
    this.environment = environment;
    kubeconfig = Path.of(exports.get("KUBECONFIG"));
    argoCdServer = exports.get("ARGOCD_SERVER");
    gitUrl = exports.get("APPENV_GIT_URL");
    argoCdCli = state.resolve("argocd/bin/argocd");
  }

  /**
   * Starts both, fresh, in {@code state}; stopped (and the state dir removed) by {@link #close()}
   * or at exit.
   */
  static GitOpsCluster start(Path state) {
    Map<String, String> environment =
        new HashMap<>(
            Map.of(
                "APPENV_ETCD_PORT",
                port(23379),
                "APPENV_ETCD_PEER_PORT",
                port(23380),
                "APPENV_APISERVER_PORT",
                port(27443),
                "APPENV_KCM_PORT",
                port(27257),
                "APPENV_SCHEDULER_PORT",
                port(27259),
                "APPENV_ARGOCD_PORT",
                port(27080),
                "APPENV_REAL_NODE",
                "false"));
    run(environment, "bash", HACK.resolve("cluster-up.sh").toString(), "--fresh", state.toString());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(environment, state)));
    String out =
        run(environment, "bash", HACK.resolve("argocd-up.sh").toString(), state.toString());
    return new GitOpsCluster(state, environment, exports(out));
  }

  private static String port(int base) {
    return String.valueOf(base + OFFSET);
  }

  Config config() {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  @Override
  public void close() {
    stop(environment, state);
  }

  private static void stop(Map<String, String> environment, Path state) {
    if (Files.isDirectory(state)) {
      run(
          environment,
          "bash",
          HACK.resolve("cluster-down.sh").toString(),
          "--purge",
          state.toString());
    }
  }

  /** `export A=1 B=2` lines, as the hack scripts print them. */
  private static Map<String, String> exports(String out) {
    Map<String, String> values = new HashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("export ")) {
        for (String pair : line.substring("export ".length()).trim().split(" ")) {
          String[] kv = pair.split("=", 2);
          values.put(kv[0], kv[1]);
        }
      }
    }
    for (String key : List.of("KUBECONFIG", "ARGOCD_SERVER", "APPENV_GIT_URL")) {
      if (!values.containsKey(key)) {
        throw new IllegalStateException("hack/argocd-up.sh printed no " + key + ":\n" + out);
      }
    }
    return values;
  }

  /** Runs a script with the ports above; stdout is returned, stderr goes to the test's output. */
  private static String run(Map<String, String> environment, String... command) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().putAll(environment);
      builder.environment().remove("KUBECONFIG");
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // 40 minutes: the first run on a new machine compiles Kubernetes and Argo CD
      if (!process.waitFor(40, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("failed: " + String.join(" ", command) + "\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
