package io.appenv.operator.release;

import java.time.Instant;
import java.util.Map;

/** One alert of an Alertmanager notification, as far as a rollback decision needs it. */
public record Alert(
    String status, Map<String, String> labels, Instant startsAt, String fingerprint) {

  public String label(String name) {
    return labels == null ? null : labels.get(name);
  }

  public String name() {
    return label("alertname");
  }

  public boolean firing() {
    return "firing".equals(status);
  }
}
