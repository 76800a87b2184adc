package io.appenv.operator.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/** Alertmanager's webhook notification, version 4; only the fields appenv reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
record AlertmanagerPayload(String version, String status, List<Alert> alerts) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Alert(String status, Map<String, String> labels, String startsAt, String fingerprint) {}
}
