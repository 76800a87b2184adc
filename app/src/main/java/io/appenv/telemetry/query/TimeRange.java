package io.appenv.telemetry.query;

import io.appenv.telemetry.api.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A half-open interval [from, to) taken from query parameters. */
public record TimeRange(OffsetDateTime from, OffsetDateTime to) {

  public static TimeRange parse(String from, String to) {
    TimeRange range = new TimeRange(parseInstant("from", from), parseInstant("to", to));
    if (!range.from().isBefore(range.to())) {
      throw new InvalidRequestException("'from' must be before 'to'");
    }
    return range;
  }

  public Duration length() {
    return Duration.between(from, to);
  }

  private static OffsetDateTime parseInstant(String name, String text) {
    try {
      return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          "'" + name + "' must be ISO-8601 with an offset, e.g. 2025-01-31T00:00:00Z");
    }
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
