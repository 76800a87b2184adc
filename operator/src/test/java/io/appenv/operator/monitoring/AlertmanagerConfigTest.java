package io.appenv.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.Samples;
import io.appenv.operator.Tools;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/monitoring/alertmanager.yaml, checked and routed by Alertmanager's own amtool. */
class AlertmanagerConfigTest {
  static final Path CONFIG =
      Samples.crdsDir().resolveSibling("deploy").resolve("monitoring").resolve("alertmanager.yaml");

  @Test
  void amtoolAcceptsTheConfig() throws Exception {
    assertThat(amtool("check-config", CONFIG.toString())).contains("SUCCESS");
  }

  @Test
  void rollbackAlertsReachTheOperatorAndTheTeamOthersOnlyTheTeam() throws Exception {
    assertThat(route("appenv_rollback=true", "severity=critical", "alertname=AppErrorRateHigh"))
        .isEqualTo("appenv-operator,team");
    assertThat(route("appenv_rollback=false", "severity=critical", "alertname=DatabaseDown"))
        .isEqualTo("team");
    assertThat(route("alertname=Watchdog")).isEqualTo("team");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOperatorsRouteWaitsAtMostFiveSecondsAndReadsTheTokenFromAFile() throws Exception {
    Map<String, Object> config = Serialization.unmarshal(Files.readString(CONFIG), Map.class);
    Map<String, Object> route =
        ((List<Map<String, Object>>) ((Map<String, Object>) config.get("route")).get("routes"))
            .stream()
                .filter(r -> "appenv-operator".equals(r.get("receiver")))
                .findFirst()
                .orElseThrow();
    assertThat(seconds(route.get("group_wait"))).isLessThanOrEqualTo(5);
    String yaml = Files.readString(CONFIG);
    assertThat(yaml).contains("credentials_file:").doesNotContain("credentials:");
  }

  private static long seconds(Object text) {
    return io.appenv.operator.spec.Durations.parse(String.valueOf(text)).toSeconds();
  }

  private static String route(String... labels) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + CONFIG));
    args.addAll(List.of(labels));
    return amtool(args.toArray(String[]::new))
        .lines()
        .filter(l -> !l.startsWith("Warning"))
        .findFirst()
        .orElse("");
  }

  private static String amtool(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(Tools.require("amtool", "prometheus-alertmanager")));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
