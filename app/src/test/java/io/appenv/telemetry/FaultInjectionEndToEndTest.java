package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.telemetry.ops.RandomSource;
import io.appenv.telemetry.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/** The settings the rollback demo uses, read from configuration as in production. */
@TestPropertySource(properties = {"telemetry.fault.error-rate=0.5", "telemetry.fault.delay=20ms"})
@Import(FaultInjectionEndToEndTest.AlternatingRandom.class)
class FaultInjectionEndToEndTest extends IntegrationTest {

  @TestConfiguration
  static class AlternatingRandom {

    /** 0.0, 0.9, 0.0, 0.9...: with rate 0.5 every other API request fails. */
    @Bean
    @Primary
    RandomSource alternatingRandom() {
      AtomicInteger draws = new AtomicInteger();
      return () -> draws.getAndIncrement() % 2 == 0 ? 0.0 : 0.9;
    }
  }

  @Test
  void halfOfTheApiRequestsFailWith500AndShowInTheErrorMetrics() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      statuses.add(api.get("/api/v1/devices", READ_KEY).statusCode());
    }

    assertThat(statuses).containsOnly(500, 200);
    assertThat(statuses.stream().filter(s -> s == 500).count()).isEqualTo(5);
    assertThat(api.get("/actuator/prometheus", null).body())
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*outcome=\"SERVER_ERROR\"[^}]*status=\"500\"");
  }

  @Test
  void healthStaysUpWhileFaultsAreInjected() {
    assertThat(api.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
  }
}
