package io.appenv.operator.e2e;

import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.names.AlertLabels;
import io.appenv.operator.release.Alert;
import io.appenv.operator.webhook.RollbackService;
import io.appenv.operator.writers.Writers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A critical alert of one environment that may roll it back, with the labels appenv's own rules
 * give it ({@link AlertLabels}) and the namespace label the Prometheus Operator adds: handed to the
 * webhook's {@link RollbackService}, sent to the webhook as Alertmanager's notification, or posted
 * to Alertmanager as Prometheus would.
 */
record FiringAlert(String alertname, String namespace, String name) {

  /** The alert the tests fire when the rule does not matter. */
  static FiringAlert of(String namespace, String name) {
    return new FiringAlert("HighErrorRate", namespace, name);
  }

  FiringAlert named(String newName) {
    return new FiringAlert(newName, namespace, name);
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", "critical");
    labels.put(AlertLabels.ROLLBACK, "true");
    labels.put(AlertLabels.NAMESPACE, namespace);
    labels.put(AlertLabels.NAME, name);
    labels.put(AlertLabels.ORIGIN_NAMESPACE, namespace);
    return labels;
  }

  /** The alert as the webhook hands it to {@link RollbackService#handle}. */
  Alert alert(Instant startsAt, String fingerprint) {
    return new Alert("firing", labels(), startsAt, fingerprint);
  }

  /** Alertmanager's webhook notification (version 4) with this one alert, as JSON. */
  String notification(Instant startsAt, String fingerprint) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("status", "firing");
    alert.put("labels", labels());
    alert.put("annotations", Map.of());
    alert.put("startsAt", startsAt.toString());
    alert.put("endsAt", "0001-01-01T00:00:00Z");
    alert.put("fingerprint", fingerprint);
    Map<String, Object> notification = new LinkedHashMap<>();
    notification.put("version", "4");
    notification.put("status", "firing");
    notification.put("receiver", "appenv-operator");
    notification.put("groupKey", "g");
    notification.put("alerts", List.of(alert));
    return Serialization.asJson(notification);
  }

  /**
   * The body Prometheus posts to Alertmanager's {@code /api/v2/alerts}, as JSON; {@code endsAt} may
   * be null (Alertmanager then resolves it after its resolve_timeout).
   */
  String forAlertmanager(Instant startsAt, Instant endsAt) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("labels", labels());
    alert.put("startsAt", startsAt.toString());
    if (endsAt != null) {
      alert.put("endsAt", endsAt.toString());
    }
    return Serialization.asJson(List.of(alert));
  }

  /** The webhook's RollbackService as the operator's process wires it, on {@code client}. */
  static RollbackService rollbackService(KubernetesClient client) {
    return new RollbackService(
        client,
        new EventRecorder(client, Clock.systemUTC()),
        Clock.systemUTC(),
        AlertLabels.ORIGIN_NAMESPACE,
        Writers.of(client, true));
  }
}
