package io.appenv.operator.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A clone of the local git server's repository, worked on with Debian's git the way the release
 * workflow and a person merging a pull request do: edit, commit, push (the server's hook then tells
 * Argo CD).
 */
final class GitClone {
  private final Path dir;

  private GitClone(Path dir) {
    this.dir = dir;
  }

  /** A fresh clone in {@code dir}; one left by an earlier run is removed first. */
  static GitClone of(String url, Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    Files.createDirectories(dir.getParent());
    run(dir.getParent(), "git", "clone", "-q", url, dir.toString());
    return new GitClone(dir);
  }

  Path file(String path) {
    return dir.resolve(path);
  }

  /**
   * Runs a command in the work tree (hack/set-release.sh, say); its output, or an AssertionError
   * with it.
   */
  String inWorkTree(String... command) {
    return run(dir, command);
  }

  String git(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of("git", "-c", "user.name=appenv e2e", "-c", "user.email=e2e@appenv.local"));
    command.addAll(List.of(args));
    return run(dir, command.toArray(String[]::new)).trim();
  }

  /** Commits every change of the work tree; returns the commit. */
  String commit(String message) {
    git("add", "-A");
    git("commit", "-q", "-m", message);
    return head();
  }

  /** Pushes the current branch to the server; the output holds what the server's hook said. */
  String push() {
    return git("push", "origin", "HEAD");
  }

  String head() {
    return git("rev-parse", "HEAD");
  }

  private static String run(Path dir, String... command) {
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError(
            "failed in " + dir + ": " + String.join(" ", command) + "\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
