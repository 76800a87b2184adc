package io.appenv.operator.e2e;

import static org.awaitility.Awaitility.await;

import io.appenv.operator.OperatorTestSupport;
import io.appenv.operator.api.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * From a release commit pushed to the local git server to dev synced by Argo CD, released by the
 * operator (the new digest serves, phase Ready) and reported Healthy by Argo CD: the setup of
 * GitOpsE2E (Argo CD v3.1.9 beside a local control plane with kwok nodes, the operator in this
 * JVM), the commit the release workflow makes (hack/set-release.sh), polled every 20 ms through the
 * API server. Run: {@code mvn -pl operator -am test -Pbench -Dtest=GitOpsBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dbench.rounds=N}, default 10); figures go to
 * stdout and target/gitops-benchmark.txt.
 */
@Tag("bench")
class GitOpsBenchmark {
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 10);
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final String DEV = "telemetry-dev";

  @Test
  void commitToSyncedReleasedAndHealthy() throws Exception {
    Path work = Path.of("target", "gitops-bench").toAbsolutePath();
    long up = System.nanoTime();
    try (GitOpsCluster cluster = GitOpsCluster.start(work.resolve("cluster"));
        KubernetesClient client = cluster.newClient()) {
      double startup = seconds(System.nanoTime() - up);
      ArgoCd argoCd = new ArgoCd(cluster, client);
      GitClone git = GitClone.of(cluster.gitUrl, work.resolve("clone"));
      try (InProcessOperator operator =
          new InProcessOperator(
              cluster.newClient(),
              OperatorTestSupport.leaderElection(false, "appenv-operator", "", ""))) {
        LiveEnvironment dev = new LiveEnvironment(client, DEV, "telemetry");
        await().atMost(TIMEOUT).until(() -> "Healthy".equals(argoCd.healthStatus(DEV)));
        List<Double> synced = new ArrayList<>();
        List<Double> released = new ArrayList<>();
        List<Double> healthy = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
          String image = "ghcr.io/appenv/telemetry@sha256:" + "%064x".formatted(round);
          git.inWorkTree(
              "bash",
              "hack/set-release.sh",
              "argocd/environments/dev",
              image,
              Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
          String commit = git.commit("deploy(dev): bench round " + round);
          long pushed = System.nanoTime();
          git.push();
          synced.add(until(pushed, () -> argoCd.syncedTo(DEV, commit)));
          released.add(
              until(pushed, () -> image.equals(dev.activeImage()) && dev.phase() == Phase.Ready));
          healthy.add(until(pushed, () -> "Healthy".equals(argoCd.healthStatus(DEV))));
        }
        String report =
            String.join(
                "\n",
                "GitOps: push of a dev release commit to ... (n=" + ROUNDS + ", seconds)",
                row("Argo CD synced the commit (webhook from the git server's hook)", synced),
                row("the operator released it (new digest serves, phase Ready)", released),
                row("Argo CD reports the Application Healthy", healthy),
                "cluster + Argo CD up from nothing (binaries built): %.1f s".formatted(startup),
                "");
        System.out.print(report);
        Files.writeString(Path.of("target", "gitops-benchmark.txt"), report);
      }
    }
  }

  /**
   * Seconds from {@code start} until {@code done}, within {@link #TIMEOUT} of {@code start}; polled
   * every 20 ms in this thread, so the figure is the event's, not the poll's. Its reads are
   * null-safe: an object not written yet is "not done".
   */
  private static double until(long start, Callable<Boolean> done) {
    Duration left = TIMEOUT.minus(Duration.ofNanos(System.nanoTime() - start));
    if (left.isNegative() || left.isZero()) {
      throw new AssertionError("not done within " + TIMEOUT);
    }
    await()
        .atMost(left)
        .pollInSameThread()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .until(done);
    return seconds(System.nanoTime() - start);
  }

  private static String row(String what, List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return String.format(
        Locale.ROOT,
        "%-66s p50 %.2f  max %.2f",
        what,
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
