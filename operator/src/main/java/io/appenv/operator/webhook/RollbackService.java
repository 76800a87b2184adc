package io.appenv.operator.webhook;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.events.Reason;
import io.appenv.operator.names.AlertLabels;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.Names;
import io.appenv.operator.release.Alert;
import io.appenv.operator.release.ReleaseBook;
import io.appenv.operator.release.RollbackDecider;
import io.appenv.operator.release.RollbackDecision;
import io.appenv.operator.writers.StatusWriter;
import io.appenv.operator.writers.TrafficSwitch;
import io.appenv.operator.writers.Writers;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Acts on one alert: decides, and for a rollback switches the main Service back to the previous
 * colour at once when it is warm, then records the rollback in the status. The reconciler does the
 * rest (scaling the rejected colour down, or a cold previous colour up). The spec is never touched.
 */
public class RollbackService {
  private static final Logger log = LoggerFactory.getLogger(RollbackService.class);
  private static final int MAX_ATTEMPTS = 5;
  private static final Duration REMEMBER = Duration.ofMinutes(1);
  private static final int REMEMBER_AT_MOST = 10_000;

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;
  private final String originLabel;
  private final StatusWriter statusWriter;
  private final TrafficSwitch trafficSwitch;
  private final Map<String, Decided> recent = new ConcurrentHashMap<>();
  private final Map<String, Object> environmentLocks = new ConcurrentHashMap<>();

  /**
   * @param originLabel see {@link RollbackDecider#decide(Alert, AppEnvironment, java.time.Instant,
   *     String)}
   * @param writers the status and traffic writers the reconciler uses too
   */
  public RollbackService(
      KubernetesClient client,
      EventRecorder events,
      Clock clock,
      String originLabel,
      Writers writers) {
    this.client = client;
    this.events = events;
    this.clock = clock;
    this.originLabel = originLabel;
    this.statusWriter = writers.status();
    this.trafficSwitch = writers.traffic();
  }

  /** What happened to one alert, as the webhook answers it. */
  public record Outcome(String alert, String environment, boolean rolledBack, String reason) {}

  /**
   * One decision per alert: a burst of copies of a notification, or Alertmanager's retries, are
   * answered from the decision made for the first, for a minute, with no API call; copies that
   * arrive together wait for it.
   */
  public Outcome handle(Alert alert) {
    String environment = alert.label(AlertLabels.NAMESPACE) + "/" + alert.label(AlertLabels.NAME);
    String key =
        environment + "/" + alert.status() + "/" + alert.fingerprint() + "/" + alert.startsAt();
    Outcome known = recentDecision(key);
    if (known != null) {
      return known;
    }
    synchronized (environmentLocks.computeIfAbsent(environment, e -> new Object())) {
      known = recentDecision(key);
      if (known != null) {
        return known;
      }
      Outcome outcome = decideAndAct(alert);
      remember(key, outcome);
      return outcome;
    }
  }

  private Outcome recentDecision(String key) {
    Decided decided = recent.get(key);
    return decided != null && clock.instant().isBefore(decided.at().plus(REMEMBER))
        ? decided.outcome()
        : null;
  }

  private void remember(String key, Outcome outcome) {
    if (recent.size() >= REMEMBER_AT_MOST) {
      recent.values().removeIf(d -> !clock.instant().isBefore(d.at().plus(REMEMBER)));
      if (recent.size() >= REMEMBER_AT_MOST) {
        // A flood of distinct alerts: forgetting costs one API read each, not a wrong decision.
        recent.clear();
      }
    }
    recent.put(key, new Decided(outcome, clock.instant()));
  }

  private record Decided(Outcome outcome, Instant at) {}

  /**
   * Decides again on a fresh read when the status changed meanwhile (the reconciler writes it too).
   */
  private Outcome decideAndAct(Alert alert) {
    for (int attempt = 1; ; attempt++) {
      try {
        return handleOnce(alert);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Outcome handleOnce(Alert alert) {
    String namespace = alert.label(AlertLabels.NAMESPACE);
    String name = alert.label(AlertLabels.NAME);
    AppEnvironment env =
        namespace == null || name == null
            ? null
            : client.resources(AppEnvironment.class).inNamespace(namespace).withName(name).get();
    RollbackDecision decision = RollbackDecider.decide(alert, env, clock.instant(), originLabel);
    String target = namespace + "/" + name;
    if (!decision.rollBack()) {
      log.info(
          "Alert {} (fingerprint {}) for {}: no rollback, {}",
          alert.name(),
          alert.fingerprint(),
          target,
          decision.reason());
      return new Outcome(alert.name(), target, false, decision.reason());
    }
    Color previous = Color.fromLabel(env.getStatus().getPreviousRelease().getColor());
    boolean warm = serves(env, previous);
    // The status first: it is the decision every later reconcile follows, so nothing switches
    // traffic back. Cold, traffic moves when the previous colour has started: the reconcile that
    // moves it stamps the time to restore.
    AppEnvironmentStatus status =
        Serialization.jsonMapper().convertValue(env.getStatus(), AppEnvironmentStatus.class);
    ReleaseBook.rolledBack(
            env.getStatus(), decision.reason(), alert.startsAt(), warm ? clock.instant() : null)
        .writeTo(status);
    // A concurrent change fails with 409, and decideAndAct() reads and decides again.
    AppEnvironment recorded = statusWriter.write(env, status);
    String how = previous.label() + " is scaling up";
    try {
      if (warm) {
        trafficSwitch.switchTo(recorded, previous);
        how = "traffic switched to " + previous.label();
      }
    } catch (KubernetesClientException e) {
      // The rollback is recorded: the reconciler brings traffic to the colour the status names.
      log.warn(
          "Rolled back {}, but the fast switch failed ({}); the next reconcile switches traffic",
          target,
          e.getMessage());
      how = "traffic switches to " + previous.label() + " at the next reconcile";
    }
    events.warning(recorded, Reason.ROLLED_BACK, "Rolled back: " + decision.reason() + "; " + how);
    // Fields of the JSON line, so the log store finds it by environment and revision
    // (docs/monitoring.md#logs).
    try (var ns = MDC.putCloseable("appenv.namespace", namespace);
        var n = MDC.putCloseable("appenv.name", name);
        var revision =
            MDC.putCloseable(
                "appenv.revision",
                String.valueOf(env.getStatus().getActiveRelease().getRevision()))) {
      log.warn("Rolled back {}: {}; {}", target, decision.reason(), how);
    }
    return new Outcome(alert.name(), target, true, decision.reason() + "; " + how);
  }

  /**
   * Whether the previous colour still runs all its replicas: then one write of the Service is the
   * fastest way traffic can go back.
   */
  private boolean serves(AppEnvironment env, Color previous) {
    String namespace = env.getMetadata().getNamespace();
    Deployment deployment;
    try {
      deployment =
          client
              .apps()
              .deployments()
              .inNamespace(namespace)
              .withName(Names.colorDeployment(env, previous))
              .get();
    } catch (KubernetesClientException e) {
      // Decided anyway: the reconciler moves traffic once it sees the previous colour serve.
      log.warn("Cannot read the previous colour of {}: {}", namespace, e.getMessage());
      return false;
    }
    int wanted = Optional.ofNullable(deployment).map(d -> d.getSpec().getReplicas()).orElse(0);
    int available =
        Optional.ofNullable(deployment)
            .map(Deployment::getStatus)
            .map(s -> s.getAvailableReplicas())
            .orElse(0);
    return wanted > 0 && available >= wanted;
  }
}
