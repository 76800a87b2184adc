package io.appenv.operator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appenv.operator.LeaderState;
import io.appenv.operator.OperatorProperties;
import io.appenv.operator.release.Alert;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /webhooks/alertmanager: Alertmanager's notifications (version 4). Nothing is acted on unless
 * the caller has the token and the whole body is valid. Each alert's outcome is answered and
 * logged.
 */
@RestController
public class AlertmanagerWebhookController {
  private final WebhookToken token;
  private final int maxBodyBytes;
  private final LeaderState leader;
  private final RollbackService rollbacks;
  private final ObjectMapper json = new ObjectMapper();

  public AlertmanagerWebhookController(
      OperatorProperties properties, LeaderState leader, RollbackService rollbacks) {
    this.token = new WebhookToken(properties.webhook());
    this.maxBodyBytes = properties.webhook().maxBodyBytes();
    this.leader = leader;
    this.rollbacks = rollbacks;
  }

  @PostMapping("/webhooks/alertmanager")
  public ResponseEntity<Map<String, Object>> receive(
      @RequestHeader(value = "Authorization", required = false) String authorization,
      HttpServletRequest request)
      throws IOException {
    if (!token.configured()) {
      return error(
          HttpStatus.SERVICE_UNAVAILABLE,
          "no webhook token configured (APPENV_WEBHOOK_TOKEN or _TOKENFILE)");
    }
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return error(HttpStatus.UNAUTHORIZED, "missing bearer token");
    }
    if (!token.matches(authorization.substring("Bearer ".length()).trim())) {
      return error(HttpStatus.FORBIDDEN, "wrong bearer token");
    }
    if (!leader.isLeader()) {
      // Alertmanager retries 5xx answers; the Service should route
      // to the leader only, see docs/rollback.md.
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .header("Retry-After", "1")
          .body(Map.of("error", "this replica is not the leader; retry"));
    }
    byte[] body = readBounded(request);
    if (body == null) {
      return error(HttpStatus.PAYLOAD_TOO_LARGE, "body larger than " + maxBodyBytes + " bytes");
    }
    AlertmanagerPayload payload;
    try {
      payload = json.readValue(body, AlertmanagerPayload.class);
    } catch (JsonProcessingException e) {
      return error(HttpStatus.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
    }
    if (payload == null || !"4".equals(payload.version())) {
      return error(
          HttpStatus.BAD_REQUEST,
          "unsupported payload version "
              + (payload == null ? null : payload.version())
              + ": Alertmanager's webhook version 4 is expected");
    }
    if (payload.alerts() == null) {
      return error(HttpStatus.BAD_REQUEST, "no alerts array");
    }
    List<Alert> alerts;
    try {
      alerts = payload.alerts().stream().map(AlertmanagerWebhookController::alert).toList();
    } catch (DateTimeParseException e) {
      return error(
          HttpStatus.BAD_REQUEST, "startsAt is not an RFC 3339 time: " + e.getParsedString());
    }
    return ResponseEntity.ok(Map.of("results", alerts.stream().map(rollbacks::handle).toList()));
  }

  private static Alert alert(AlertmanagerPayload.Alert raw) {
    Instant startsAt = raw.startsAt() == null ? null : Instant.parse(raw.startsAt());
    return new Alert(raw.status(), raw.labels(), startsAt, raw.fingerprint());
  }

  /** The body, or null when it is larger than allowed (read no further than that). */
  private byte[] readBounded(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > maxBodyBytes) {
      return null;
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      return body.length > maxBodyBytes ? null : body;
    }
  }

  private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String reason) {
    return ResponseEntity.status(status).body(Map.of("error", reason));
  }
}
