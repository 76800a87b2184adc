package io.appenv.telemetry.security;

import java.util.Locale;

/** What an API key may do: send readings, or read them. A key listed twice may do both. */
public enum ApiRole {
  INGEST,
  READ;

  static ApiRole parse(String text) {
    return valueOf(text.strip().toUpperCase(Locale.ROOT));
  }
}
