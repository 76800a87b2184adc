package io.appenv.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.gitops.LuaHealthCheck.Health;
import io.appenv.operator.observe.RolloutState;
import io.appenv.operator.status.Observation;
import io.appenv.operator.status.StatusAggregator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Argo CD health check of AppEnvironment (argocd/health/appenvironment.lua), run by lua5.1
 * against AppEnvironments in every phase: fixtures shaped like the operator's status, and statuses
 * the real StatusAggregator writes, so the script cannot drift from the operator unnoticed.
 */
class AppEnvironmentHealthCheckTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @SuppressWarnings("unchecked")
  private static Health healthOf(String fixture) throws Exception {
    try (InputStream in =
        AppEnvironmentHealthCheckTest.class.getResourceAsStream("/gitops/health/" + fixture)) {
      assertThat(in).as(fixture).isNotNull();
      return LuaHealthCheck.of(YAML.readValue(in, Map.class));
    }
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      no-status.yaml             | Progressing | Waiting for the appenv operator to report a status
      pending.yaml               | Progressing | Creating: Deployment telemetry does not exist yet
      release-in-progress.yaml   | Progressing | ReleaseStarting: Revision 2 (ghcr.io/appenv/telemetry:0.2.0) is starting on green
      awaiting-promotion.yaml    | Suspended   | AwaitingPromotion: Revision 2 is available on green; promote it with: kubectl annotate appenv telemetry platform.appenv.io/promote=2 --overwrite
      ready.yaml                 | Healthy     | Revision 2 (ghcr.io/appenv/telemetry:0.2.0) serves on green
      rolled-back.yaml           | Degraded    | RolledBack: Revision 2 (ghcr.io/appenv/telemetry:0.2.0) was rolled back: alert HighErrorRate (critical) fired
      stale-generation.yaml      | Progressing | Waiting for the appenv operator to observe generation 3
      invalid-spec.yaml          | Degraded    | InvalidSpec: Invalid spec: spec.app.env[2].name APPENV_MODE: names starting with APPENV_ are reserved
      major-version-refused.yaml | Degraded    | MajorVersionChangeRefused: PostgreSQL stays on 16
      release-failed.yaml        | Degraded    | ReleaseFailed: Revision 3 (ghcr.io/appenv/telemetry:0.3.0) failed: not available within 5m
      database-starting.yaml     | Progressing | DatabaseNotReady: PostgreSQL 16 is starting
      """)
  void healthFollowsTheStatusTheOperatorWrote(String fixture, String status, String messageStart)
      throws Exception {
    Health health = healthOf(fixture);

    assertThat(health.status()).isEqualTo(status);
    assertThat(health.message()).startsWith(messageStart);
  }

  @Test
  void statusesOfTheRealAggregatorMapToTheirHealth() throws Exception {
    StatusAggregator aggregator =
        new StatusAggregator(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));

    assertThat(healthAfter(aggregator, rollout(RolloutState.Stage.MISSING)).status())
        .isEqualTo("Progressing");
    assertThat(healthAfter(aggregator, rollout(RolloutState.Stage.PROGRESSING)).status())
        .isEqualTo("Progressing");
    assertThat(healthAfter(aggregator, rollout(RolloutState.Stage.AVAILABLE)))
        .isEqualTo(new Health("Healthy", "1/1 replicas available"));
    assertThat(healthAfter(aggregator, rollout(RolloutState.Stage.FAILED)))
        .isEqualTo(new Health("Degraded", "ProgressDeadlineExceeded: 1/1 replicas available"));
    assertThat(
            healthAfter(
                aggregator,
                new Observation(
                    1,
                    List.of("names starting with APPENV_ are reserved"),
                    null,
                    null,
                    null,
                    null,
                    null)))
        .isEqualTo(
            new Health(
                "Degraded", "InvalidSpec: Invalid spec: names starting with APPENV_ are reserved"));
  }

  @Test
  void aStatusOfAnOlderGenerationIsProgressingWhateverItSays() throws Exception {
    AppEnvironment env = TestEnvironments.rolling("telemetry-dev", "telemetry");
    env.setStatus(
        new StatusAggregator(Clock.systemUTC())
            .aggregate(null, rollout(RolloutState.Stage.AVAILABLE)));
    env.getMetadata().setGeneration(2L);

    assertThat(LuaHealthCheck.of(asMap(env)).status()).isEqualTo("Progressing");
  }

  @Test
  void luaLiteralsKeepQuotesBackslashesAndNewlines() {
    assertThat(LuaHealthCheck.toLua(Map.of("m", "say \"hi\"\\\n")))
        .isEqualTo("{[\"m\"]=\"say \\\"hi\\\"\\\\\\n\",}");
  }

  private static Observation rollout(RolloutState.Stage stage) {
    return new Observation(
        1, List.of(), new RolloutState(stage, "1/1 replicas available"), null, null, null, null);
  }

  private static Health healthAfter(StatusAggregator aggregator, Observation observation)
      throws Exception {
    AppEnvironment env = TestEnvironments.rolling("telemetry-dev", "telemetry");
    env.setStatus(aggregator.aggregate(null, observation));
    return LuaHealthCheck.of(asMap(env));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(AppEnvironment env) {
    return Serialization.jsonMapper().convertValue(env, Map.class);
  }
}
