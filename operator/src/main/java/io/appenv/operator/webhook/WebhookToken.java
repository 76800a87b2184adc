package io.appenv.operator.webhook;

import io.appenv.operator.OperatorProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** The bearer token Alertmanager must send, from the environment or a mounted Secret file. */
final class WebhookToken {
  private final byte[] expected;

  WebhookToken(OperatorProperties.Webhook settings) {
    String token = settings.token();
    if (token.isBlank() && !settings.tokenFile().isBlank()) {
      try {
        token = Files.readString(Path.of(settings.tokenFile())).trim();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the webhook token file " + settings.tokenFile(), e);
      }
    }
    this.expected = token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  boolean configured() {
    return expected != null;
  }

  /**
   * Constant-time comparison, so the answer's timing does not leak how much of a guess was right.
   */
  boolean matches(String presented) {
    return expected != null
        && presented != null
        && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
  }
}
