package io.appenv.telemetry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.telemetry.TelemetryProperties;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

class FaultInjectionFilterTest {

  @Test
  void errorRateFailsExactlyTheDrawsBelowIt() throws Exception {
    Iterator<Double> draws = List.of(0.10, 0.49, 0.50, 0.99).iterator();
    FaultInjectionFilter filter =
        new FaultInjectionFilter(properties(0.5, Duration.ZERO), draws::next);

    assertThat(
            List.of(
                status(filter, "/api/v1/devices"),
                status(filter, "/api/v1/devices"),
                status(filter, "/api/v1/devices"),
                status(filter, "/api/v1/devices")))
        .containsExactly(500, 500, 200, 200);
  }

  @Test
  void delaySlowsApiRequestsDown() throws Exception {
    FaultInjectionFilter filter =
        new FaultInjectionFilter(properties(0, Duration.ofMillis(120)), () -> 0.0);

    long start = System.nanoTime();
    int status = status(filter, "/api/v1/devices");

    assertThat(status).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(120));
  }

  @Test
  void probesAndPagesAreNeverFaulted() throws Exception {
    FaultInjectionFilter filter =
        new FaultInjectionFilter(properties(1.0, Duration.ZERO), () -> 0.0);

    assertThat(status(filter, "/actuator/health/readiness")).isEqualTo(200);
    assertThat(status(filter, "/index.html")).isEqualTo(200);
    assertThat(status(filter, "/api/v1/devices")).isEqualTo(500);
  }

  @Test
  void offByDefault() throws Exception {
    TelemetryProperties.Fault defaults = new TelemetryProperties.Fault(0, Duration.ZERO);
    assertThat(defaults.active()).isFalse();
    FaultInjectionFilter filter = new FaultInjectionFilter(properties(0, Duration.ZERO), () -> 0.0);
    assertThat(status(filter, "/api/v1/devices")).isEqualTo(200);
  }

  private static int status(FaultInjectionFilter filter, String uri) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain());
    return response.getStatus();
  }

  private static TelemetryProperties properties(double errorRate, Duration delay) {
    return new TelemetryProperties(
        "",
        new TelemetryProperties.Ingest(10, DataSize.ofMegabytes(1), 10),
        new TelemetryProperties.Fault(errorRate, delay),
        new TelemetryProperties.ReadonlyDatasource("", "", ""));
  }
}
