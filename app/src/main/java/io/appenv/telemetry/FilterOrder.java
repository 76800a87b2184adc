package io.appenv.telemetry;

import org.springframework.core.Ordered;

/**
 * Order of the servlet filters. All run after Spring's observation filter (HIGHEST_PRECEDENCE + 1),
 * so refused and fault-injected requests still show up in http_server_requests metrics with their
 * real status.
 */
public final class FilterOrder {

  public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE + 10;
  public static final int FAULT_INJECTION = Ordered.HIGHEST_PRECEDENCE + 20;
  public static final int API_KEY = Ordered.HIGHEST_PRECEDENCE + 30;

  private FilterOrder() {}
}
