package io.appenv.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scripts the backup CronJob and the restore runbook use (src/main/resources/postgres:
 * backup.sh, restore.sh) with bash, as the superuser postgres of a local PostgreSQL, keeping dumps
 * in one folder.
 */
final class PostgresScripts {
  private final Map<String, String> environment = new HashMap<>();

  /**
   * Scripts for {@code database} on localhost:{@code port} with dumps in {@code backups}; {@code
   * settings} adds to or overrides that environment for every run.
   */
  PostgresScripts(int port, String database, Path backups, Map<String, String> settings) {
    environment.putAll(
        Map.of(
            "PGHOST",
            "localhost",
            "PGPORT",
            String.valueOf(port),
            "PGUSER",
            "postgres",
            "PGDATABASE",
            database,
            "BACKUP_DIR",
            backups.toString()));
    environment.putAll(settings);
  }

  /** Starts a script; {@code extraEnvironment} adds to or overrides the scripts' environment. */
  Process start(Map<String, String> extraEnvironment, String script, String... args)
      throws IOException {
    Path file = Files.createTempFile(script, ".sh");
    try (InputStream in = PostgresScripts.class.getResourceAsStream("/postgres/" + script)) {
      Files.write(file, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of("bash", file.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.environment().putAll(extraEnvironment);
    return builder.start();
  }

  /** The script's output (stdout and stderr) once it ended with {@code expectedExit}. */
  static String finish(Process process, Duration timeout, int expectedExit) throws Exception {
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isEqualTo(expectedExit);
    return output;
  }
}
