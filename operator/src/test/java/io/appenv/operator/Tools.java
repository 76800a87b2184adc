package io.appenv.operator;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The command-line tools tests run. Debian's (promtool, amtool, ...) come from `make test`'s
 * hack/deps.sh: a missing one fails the test under CI=true and only skips it on a developer
 * machine, with the install command. kubectl is the one hack/build.sh builds, of the API server's
 * version: it is never skipped.
 */
public final class Tools {
  private static final Path HACK =
      Samples.crdsDir().resolveSibling("hack").toAbsolutePath().normalize();
  private static String kubectl;

  private Tools() {}

  /** The kubectl of hack/build.sh, built once and cached there; asked for once per test JVM. */
  public static synchronized String kubectl() {
    if (kubectl == null) {
      kubectl =
          Path.of(
                  run(
                          "bash",
                          HACK.resolve("build.sh").toString(),
                          "--print-bin-dir",
                          "--control-plane")
                      .trim(),
                  "kubectl")
              .toString();
    }
    return kubectl;
  }

  /**
   * Runs a command and returns its stdout (stderr goes to the test's output). A failure fails the
   * test with the output. 40 minutes, because the first hack/build.sh on a new machine compiles
   * Kubernetes.
   */
  public static String run(String... command) {
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(40, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError("failed: " + String.join(" ", command) + "\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static String require(String tool, String debianPackage) {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .map(dir -> Path.of(dir, tool))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      String hint =
          tool
              + " is needed: apt-get install -y --no-install-recommends "
              + debianPackage
              + " (or run make deps)";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(hint);
      }
      Assumptions.abort(hint);
    }
    return found.get().toString();
  }
}
