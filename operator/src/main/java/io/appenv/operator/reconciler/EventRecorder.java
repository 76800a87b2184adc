package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes Kubernetes Events about an AppEnvironment, so `kubectl describe` tells what the operator decided. */
public class EventRecorder {
  public static final String COMPONENT = "appenv-operator";
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(AppEnvironment env, String reason, String message) {
    record(env, "Normal", reason, message);
  }

  public void warning(AppEnvironment env, String reason, String message) {
    record(env, "Warning", reason, message);
  }

  private void record(AppEnvironment env, String type, String reason, String message) {
    String namespace = env.getMetadata().getNamespace();
    String now = clock.instant().atZone(java.time.ZoneOffset.UTC).format(MICRO_TIME);
    var event = new EventBuilder()
        .withNewMetadata()
          .withNamespace(namespace)
          .withName(env.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(env.getApiVersion())
          .withKind(env.getKind())
          .withName(env.getMetadata().getName())
          .withNamespace(namespace)
          .withUid(env.getMetadata().getUid())
          .withResourceVersion(env.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withAction(reason)
        .withReportingComponent(COMPONENT)
        .withReportingInstance(reportingInstance())
        .withNewSource().withComponent(COMPONENT).endSource()
        .withFirstTimestamp(clock.instant().toString())
        .withLastTimestamp(clock.instant().toString())
        .withEventTime(new MicroTime(now))
        .withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      // An Event is a courtesy to people; failing to write one must not fail the reconcile.
      log.warn("Could not record event {} for {}/{}: {}", reason, namespace, env.getMetadata().getName(), e.getMessage());
    }
  }

  private static String reportingInstance() {
    return System.getenv().getOrDefault("HOSTNAME", COMPONENT);
  }
}
