package io.appenv.telemetry.ops;

import io.appenv.telemetry.FilterOrder;
import io.appenv.telemetry.TelemetryProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes a release look broken on purpose, for the rollback demo: with TELEMETRY_FAULT_DELAY every
 * /api request waits that long, and with TELEMETRY_FAULT_ERROR_RATE that share of /api requests
 * fails with 500. Health, metrics and the page are never touched, so probes keep passing and the
 * failure shows only in the SLOs.
 */
@Component
@Order(FilterOrder.FAULT_INJECTION)
public class FaultInjectionFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(FaultInjectionFilter.class);

  private final TelemetryProperties.Fault fault;
  private final RandomSource random;

  public FaultInjectionFilter(TelemetryProperties properties, RandomSource random) {
    this.fault = properties.fault();
    this.random = random;
    if (fault.active()) {
      log.warn("fault injection is ON: error rate {}, delay {}", fault.errorRate(), fault.delay());
    }
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !fault.active() || !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!fault.delay().isZero()) {
      sleep();
    }
    if (random.nextDouble() < fault.errorRate()) {
      response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
      response.setContentType("application/json");
      response.getWriter().write("{\"error\":\"injected fault (TELEMETRY_FAULT_ERROR_RATE)\"}");
      return;
    }
    chain.doFilter(request, response);
  }

  private void sleep() throws ServletException {
    try {
      Thread.sleep(fault.delay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServletException("interrupted during injected delay", e);
    }
  }
}
