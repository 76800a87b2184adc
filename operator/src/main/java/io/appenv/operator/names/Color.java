package io.appenv.operator.names;

import java.util.Locale;

/** The two slots of a blue/green release. */
public enum Color {
  BLUE,
  GREEN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Color other() {
    return this == BLUE ? GREEN : BLUE;
  }

  public static Color fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
