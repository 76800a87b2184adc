package io.appenv.telemetry.ops;

import io.appenv.telemetry.FilterOrder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, taken from X-Request-Id when a proxy already set a sane one, puts it
 * in the logging MDC (a field of every JSON log line) and echoes it in the response. Each API
 * request ends with one access line (method, path, status, milliseconds) carrying the id, so a
 * request can be found in the log store by the id a client got back; health checks and metrics are
 * not logged.
 */
@Component
@Order(FilterOrder.REQUEST_ID)
public class RequestIdFilter extends OncePerRequestFilter {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "request.id";
  // Refuse anything that could forge log structure or flood the logs.
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Logger access = LoggerFactory.getLogger("io.appenv.telemetry.access");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String incoming = request.getHeader(HEADER);
    String requestId =
        incoming != null && SAFE_ID.matcher(incoming).matches()
            ? incoming
            : UUID.randomUUID().toString();
    MDC.put(MDC_KEY, requestId);
    response.setHeader(HEADER, requestId);
    long start = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.getRequestURI().startsWith("/api/")) {
        access.info(
            "{} {} {} {} ms",
            request.getMethod(),
            request.getRequestURI(),
            response.getStatus(),
            (System.nanoTime() - start) / 1_000_000);
      }
      MDC.remove(MDC_KEY);
    }
  }
}
