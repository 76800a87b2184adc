package io.appenv.telemetry.query;

import io.appenv.telemetry.api.InvalidRequestException;
import java.time.Duration;
import java.util.Locale;

/** The bucket sizes the aggregate endpoint offers, each with a cap on the range it may span. */
public enum AggregateWindow {
  MINUTE("minute", Duration.ofDays(7)),
  HOUR("hour", Duration.ofDays(366));

  private final String postgresUnit;
  private final Duration maxRange;

  AggregateWindow(String postgresUnit, Duration maxRange) {
    this.postgresUnit = postgresUnit;
    this.maxRange = maxRange;
  }

  public String postgresUnit() {
    return postgresUnit;
  }

  public Duration maxRange() {
    return maxRange;
  }

  public static AggregateWindow parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'window' must be minute or hour");
    }
  }
}
