package io.appenv.operator.spec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the Go-style durations of the spec (10m, 1h30m, 500ms). */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher matcher = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        break;
      }
      long amount = Long.parseLong(matcher.group(1));
      total =
          total.plus(
              switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
              });
      end = matcher.end();
    }
    if (end != text.length()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (use e.g. 10m, 1h30m, 500ms)");
    }
    return total;
  }
}
