package io.appenv.telemetry.query;

import io.appenv.telemetry.api.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The key of the last row of a page, (timestamp, metric), made opaque so clients pass it back
 * untouched. Keyset pagination: the next page starts strictly after this key.
 */
public record PageCursor(Instant timestamp, String metric) {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  public String encode() {
    return ENCODER.encodeToString((timestamp + "|" + metric).getBytes(StandardCharsets.UTF_8));
  }

  public static PageCursor decode(String cursor) {
    try {
      String text = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      return new PageCursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
    } catch (IllegalArgumentException | IndexOutOfBoundsException | DateTimeParseException e) {
      throw new InvalidRequestException("'cursor' is not a cursor this API returned");
    }
  }
}
