package io.appenv.operator.dependents;

import io.appenv.operator.builders.Postgres;
import java.security.SecureRandom;
import java.util.Map;

/** Strong random passwords for the database roles; the one source of randomness in the operator. */
final class Passwords {
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int LENGTH = 32;

  private Passwords() {}

  static Map<String, String> generate() {
    return Map.of(
        Postgres.SUPERUSER_PASSWORD,
        one(),
        Postgres.OWNER_PASSWORD,
        one(),
        Postgres.APP_PASSWORD,
        one(),
        Postgres.READONLY_PASSWORD,
        one());
  }

  static String one() {
    StringBuilder password = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }
}
