package io.appenv.telemetry.security;

import io.appenv.telemetry.FilterOrder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards /api/**: 401 without a known key, 403 when the key lacks the role the endpoint needs.
 * Writing readings needs {@code ingest}; everything else under /api needs {@code read}. The key
 * comes in {@code X-API-Key} or {@code Authorization: Bearer}.
 */
@Component
@Order(FilterOrder.API_KEY)
public class ApiKeyFilter extends OncePerRequestFilter {

  static final String API_KEY_HEADER = "X-API-Key";
  private static final String BEARER = "Bearer ";

  private final ApiKeyRegistry registry;

  public ApiKeyFilter(ApiKeyRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String key = presentedKey(request);
    Set<ApiRole> roles = key == null ? Set.of() : registry.rolesOf(key);
    if (roles.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer");
      deny(
          response,
          HttpServletResponse.SC_UNAUTHORIZED,
          "an API key is required (X-API-Key header)");
      return;
    }
    ApiRole needed = requiredRole(request);
    if (!roles.contains(needed)) {
      deny(
          response,
          HttpServletResponse.SC_FORBIDDEN,
          "this API key lacks the role " + needed.name().toLowerCase());
      return;
    }
    chain.doFilter(request, response);
  }

  static ApiRole requiredRole(HttpServletRequest request) {
    boolean writesReadings =
        HttpMethod.POST.matches(request.getMethod())
            && request.getRequestURI().startsWith("/api/v1/readings");
    return writesReadings ? ApiRole.INGEST : ApiRole.READ;
  }

  private static String presentedKey(HttpServletRequest request) {
    String key = request.getHeader(API_KEY_HEADER);
    if (key != null && !key.isBlank()) {
      return key.strip();
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.startsWith(BEARER)) {
      return authorization.substring(BEARER.length()).strip();
    }
    return null;
  }

  private static void deny(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    // The messages are built here from fixed text, so no JSON escaping is needed.
    response.getWriter().write("{\"error\":\"" + message + "\"}");
  }
}
