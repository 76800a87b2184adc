package io.appenv.operator.monitoring;

import io.appenv.operator.events.Reason;
import io.appenv.operator.upstream.Prometheus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's Prometheuses and the labels of namespaces, read at most once a minute each: every
 * environment's reconcile asks, and a list of a few Prometheus objects per minute costs the API
 * server nothing where one per reconcile would. A Prometheus changed meanwhile shows in the status
 * within a minute of the next reconcile (at the latest the resync interval).
 */
public class PrometheusCatalog {
  static final Duration FRESH = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Clock clock;
  private volatile Read<List<Prometheus>> prometheuses;
  private final Map<String, Read<Map<String, String>>> namespaces = new ConcurrentHashMap<>();

  public PrometheusCatalog(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  private record Read<T>(T value, String forbidden, Instant at) {}

  /** Whether a Prometheus selects objects with these labels in this namespace. */
  public PrometheusSelection.Result selection(
      String namespace, Map<String, String> ruleLabels, Map<String, String> monitorLabels) {
    Read<List<Prometheus>> all = prometheuses;
    if (all == null || stale(all.at())) {
      all =
          read(
              () -> client.resources(Prometheus.class).inAnyNamespace().list().getItems(),
              List.of());
      prometheuses = all;
    }
    if (all.forbidden() != null) {
      return PrometheusSelection.Result.unknown(
          Reason.PROMETHEUS_NOT_VISIBLE,
          "The operator may not list Prometheus"
              + " objects ("
              + all.forbidden()
              + "): grant it list on prometheuses.monitoring.coreos.com (deploy/rbac.yaml)");
    }
    Read<Map<String, String>> labels = namespaces.get(namespace);
    if (labels == null || stale(labels.at())) {
      labels =
          read(
              () ->
                  Optional.ofNullable(client.namespaces().withName(namespace).get())
                      .map(Namespace::getMetadata)
                      .map(m -> m.getLabels())
                      .orElse(Map.of()),
              Map.of());
      namespaces.put(namespace, labels);
    }
    if (labels.forbidden() != null) {
      return PrometheusSelection.Result.unknown(
          Reason.PROMETHEUS_NOT_VISIBLE,
          "The operator may not read namespace "
              + namespace
              + " ("
              + labels.forbidden()
              + "), whose labels Prometheus' namespace selectors match");
    }
    return PrometheusSelection.decide(
        all.value(), namespace, labels.value(), ruleLabels, monitorLabels);
  }

  private boolean stale(Instant at) {
    return !clock.instant().isBefore(at.plus(FRESH));
  }

  private <T> Read<T> read(java.util.function.Supplier<T> reader, T empty) {
    try {
      return new Read<>(reader.get(), null, clock.instant());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return new Read<>(empty, "403 Forbidden", clock.instant());
      }
      throw e;
    }
  }
}
