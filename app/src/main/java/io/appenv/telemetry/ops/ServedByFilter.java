package io.appenv.telemetry.ops;

import io.appenv.telemetry.FilterOrder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Names the instance that answered in {@code X-Served-By}: in a Pod, its name (HOSTNAME), which
 * carries the release's colour, so a client sees a blue/green switch. Empty sends no header.
 */
@Component
@Order(FilterOrder.REQUEST_ID)
public class ServedByFilter extends OncePerRequestFilter {

  public static final String HEADER = "X-Served-By";
  private final String instance;

  public ServedByFilter(@Value("${telemetry.served-by:}") String instance) {
    this.instance = instance;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!instance.isBlank()) {
      response.setHeader(HEADER, instance);
    }
    chain.doFilter(request, response);
  }
}
