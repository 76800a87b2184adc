package io.appenv.operator;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness: the operator has started and every informer has synced and is watching. */
@Component("operatorHealthIndicator")
public class OperatorHealthIndicator implements HealthIndicator {
  private final Operator operator;

  public OperatorHealthIndicator(Operator operator) {
    this.operator = operator;
  }

  @Override
  public Health health() {
    RuntimeInfo info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return Health.outOfService()
          .withDetail("reason", "operator not started or informers not synced")
          .build();
    }
    // JOSDK lists every controller here, with an empty map when all its event sources are healthy.
    Map<String, String> unhealthy = new TreeMap<>();
    info.unhealthyEventSources()
        .forEach(
            (controller, sources) ->
                sources.forEach(
                    (name, indicator) ->
                        unhealthy.put(controller + "/" + name, indicator.getStatus().name())));
    if (!unhealthy.isEmpty()) {
      return Health.down().withDetail("unhealthyEventSources", unhealthy).build();
    }
    return Health.up().withDetail("controllers", info.getRegisteredControllers().size()).build();
  }
}
