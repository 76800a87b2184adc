package io.appenv.telemetry.support;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Builds JSON batches for tests without a templating detour. */
public final class ReadingsJson {

  public record Row(String deviceId, Instant timestamp, String metric, double value) {}

  private ReadingsJson() {}

  public static String batch(List<Row> rows) {
    return rows.stream()
        .map(
            r ->
                "{\"deviceId\":\""
                    + r.deviceId()
                    + "\",\"timestamp\":\""
                    + r.timestamp()
                    + "\",\"metric\":\""
                    + r.metric()
                    + "\",\"value\":"
                    + r.value()
                    + "}")
        .collect(Collectors.joining(",", "{\"readings\":[", "]}"));
  }
}
