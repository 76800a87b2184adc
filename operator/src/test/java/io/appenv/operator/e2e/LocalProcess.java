package io.appenv.operator.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A process the end-to-end tests start on 127.0.0.1 (Prometheus, Alertmanager, the app), logging to
 * a file.
 */
final class LocalProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String name;
  private final Process process;
  private final Path log;

  private LocalProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static LocalProcess start(
      String name, List<String> command, Map<String, String> environment, Path logDir)
      throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return new LocalProcess(name, builder.start(), log);
  }

  /**
   * Waits until GET url answers 200, failing with the end of the log if the process dies or time
   * runs out.
   */
  LocalProcess awaitReady(String url, Duration timeout) throws Exception {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
    try {
      await(name + " ready at " + url)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          // Refused or timed out: not listening yet.
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      name + " exited with " + process.exitValue() + ":\n" + tail());
                }
                return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          name + " not ready at " + url + " within " + timeout + ":\n" + tail(), e);
    }
    return this;
  }

  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
