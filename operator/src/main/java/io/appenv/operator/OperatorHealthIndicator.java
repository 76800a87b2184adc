package io.appenv.operator;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness: the operator has started and every informer has synced and is watching. */
@Component("operator")
public class OperatorHealthIndicator implements HealthIndicator {
  private final Operator operator;

  public OperatorHealthIndicator(Operator operator) {
    this.operator = operator;
  }

  @Override
  public Health health() {
    RuntimeInfo info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return Health.outOfService().withDetail("reason", "operator not started or informers not synced").build();
    }
    var unhealthy = info.unhealthyEventSources();
    if (!unhealthy.isEmpty()) {
      return Health.down().withDetail("unhealthyEventSources", unhealthy.keySet()).build();
    }
    return Health.up().withDetail("controllers", info.getRegisteredControllers().size()).build();
  }
}
