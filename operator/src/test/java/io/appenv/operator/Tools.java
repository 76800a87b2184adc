package io.appenv.operator;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Command-line tools from Debian packages that tests run (promtool, amtool, ...). `make test` installs
 * them (hack/deps.sh). A missing tool fails the test under CI=true and only skips it on a developer
 * machine, with the install command.
 */
public final class Tools {
  private Tools() {}

  public static String require(String tool, String debianPackage) {
    Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
    if (found.isEmpty()) {
      String hint = tool + " is needed: apt-get install -y --no-install-recommends " + debianPackage
          + " (or run make deps)";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(hint);
      }
      Assumptions.abort(hint);
    }
    return found.get().toString();
  }
}
