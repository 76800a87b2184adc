package io.appenv.operator.apiserver;

import io.appenv.operator.Samples;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One real kube-apiserver + etcd for the whole test JVM, through fabric8 kube-api-test in offline
 * mode. The binaries come from hack/build.sh (built from the Go module proxy); if they cannot be
 * built the tests fail, they never skip.
 */
public final class RealApiServer {
  public static final String KUBERNETES_VERSION = "1.34.4";
  private static KubeAPIServer server;
  private static KubernetesClient client;

  private RealApiServer() {}

  public static synchronized KubernetesClient client() {
    if (client == null) {
      server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
      client = clientOf(server);
    }
    return client;
  }

  /**
   * Another API server of its own, with the AppEnvironment CRD, for a test that installs something
   * for the whole cluster (CRDs, admission webhooks) that the shared one must not have. Stop it
   * when done.
   */
  public static Separate separate() {
    KubeAPIServer own = start();
    return new Separate(own, clientOf(own));
  }

  /** An API server apart from the shared one; closing it stops it. */
  public record Separate(KubeAPIServer server, KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
      server.stop();
    }
  }

  private static KubeAPIServer start() {
    Path testDir = Path.of(System.getProperty("user.home"), ".cache", "appenv", "kubeapitest");
    provideBinaries(testDir);
    return startWithOneRetry(testDir);
  }

  private static KubernetesClient clientOf(KubeAPIServer server) {
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build();
    installAppEnvironmentCrd(client);
    return client;
  }

  /**
   * kube-api-test picks its etcd and apiserver ports itself; on a busy machine a start has been
   * seen to fail once ("did not start properly") and succeed at once on a second try with new
   * ports.
   */
  private static KubeAPIServer startWithOneRetry(Path testDir) {
    RuntimeException first = null;
    for (int attempt = 1; attempt <= 2; attempt++) {
      KubeAPIServer candidate =
          new KubeAPIServer(
              KubeAPIServerConfigBuilder.anAPIServerConfig()
                  .withOfflineMode(true)
                  .withTestDir(testDir.toString())
                  .withApiServerVersion(KUBERNETES_VERSION)
                  .withUpdateKubeConfig(false)
                  .withStartupTimeout(120_000)
                  .build());
      try {
        candidate.start();
        return candidate;
      } catch (RuntimeException e) {
        first = first == null ? e : first;
        candidate.stop();
      }
    }
    throw first;
  }

  private static void installAppEnvironmentCrd(KubernetesClient client) {
    Path crd = Samples.crdsDir().resolve("appenvironments.platform.appenv.io.yaml");
    HasMetadata loaded = client.load(openFile(crd)).items().get(0);
    client.resource(loaded).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(loaded.getMetadata().getName())
        .waitUntilCondition(RealApiServer::established, 30, TimeUnit.SECONDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static java.io.InputStream openFile(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs hack/build.sh, which reuses cached binaries in milliseconds or builds them once. */
  private static void provideBinaries(Path testDir) {
    Path build = Samples.crdsDir().resolveSibling("hack").resolve("build.sh");
    try {
      Process process =
          new ProcessBuilder("bash", build.toString(), "--kube-api-test-dir", testDir.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(40, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "hack/build.sh could not provide kube-apiserver/etcd/kubectl; run it by hand"
                + " to see why (exit "
                + process.exitValue()
                + ")");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + build, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
