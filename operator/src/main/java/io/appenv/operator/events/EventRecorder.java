package io.appenv.operator.events;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.ShortHash;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events about an AppEnvironment, so `kubectl describe` tells what the operator
 * decided. Like the kubelet's and Flink's event utilities, the same event (environment, type,
 * reason, message) is one Event whose count goes up, not a new object each time; and a message is
 * cut to what the API accepts.
 */
public class EventRecorder {
  public static final String COMPONENT = "appenv-operator";

  /** The API server refuses an Event whose message has more bytes (UTF-8). */
  static final int MAX_MESSAGE = 1024;

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(AppEnvironment env, Reason reason, String message) {
    record(env, "Normal", reason.value(), message);
  }

  public void warning(AppEnvironment env, Reason reason, String message) {
    record(env, "Warning", reason.value(), message);
  }

  /** One name per environment, type, reason and message: a repeat finds the Event it repeats. */
  static String name(AppEnvironment env, String type, String reason, String message) {
    return env.getMetadata().getName()
        + "."
        + ShortHash.of(env.getMetadata().getUid() + "\n" + type + "\n" + reason + "\n" + message);
  }

  static String truncate(String message) {
    if (message == null || message.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE) {
      return message;
    }
    StringBuilder cut = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < message.length(); i = message.offsetByCodePoints(i, 1)) {
      String next = new String(Character.toChars(message.codePointAt(i)));
      bytes += next.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_MESSAGE - 3) {
        break;
      }
      cut.append(next);
    }
    return cut.append("...").toString();
  }

  private void record(AppEnvironment env, String type, String reason, String message) {
    String namespace = env.getMetadata().getNamespace();
    String text = truncate(message);
    String name = name(env, type, reason, text);
    Instant now = clock.instant();
    try {
      try {
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .resource(event(env, name, type, reason, text, now))
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .withName(name)
            .edit(
                seen ->
                    new EventBuilder(seen)
                        .withCount(seen.getCount() == null ? 2 : seen.getCount() + 1)
                        .withLastTimestamp(now.toString())
                        .build());
      }
    } catch (KubernetesClientException e) {
      // An Event is a courtesy to people; failing to write one must not fail the reconcile.
      log.warn(
          "Could not record event {} for {}/{}: {}",
          reason,
          namespace,
          env.getMetadata().getName(),
          e.getMessage());
    }
  }

  private Event event(
      AppEnvironment env, String name, String type, String reason, String message, Instant now) {
    String namespace = env.getMetadata().getNamespace();
    return new EventBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(env.getApiVersion())
        .withKind(env.getKind())
        .withName(env.getMetadata().getName())
        .withNamespace(namespace)
        .withUid(env.getMetadata().getUid())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withAction(reason)
        .withReportingComponent(COMPONENT)
        .withReportingInstance(reportingInstance())
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withFirstTimestamp(now.toString())
        .withLastTimestamp(now.toString())
        .withEventTime(new MicroTime(now.atZone(ZoneOffset.UTC).format(MICRO_TIME)))
        .withCount(1)
        .build();
  }

  private static String reportingInstance() {
    return System.getenv().getOrDefault("HOSTNAME", COMPONENT);
  }
}
