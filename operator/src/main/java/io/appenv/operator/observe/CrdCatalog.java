package io.appenv.operator.observe;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether an optional upstream CRD is installed, so the status can say what is missing. A
 * present CRD is remembered; an absent one is asked again after a minute, so installing it later is
 * noticed without a restart.
 */
public class CrdCatalog {
  static final Duration RECHECK_ABSENT = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Instant> absentSince = new ConcurrentHashMap<>();
  private final Map<String, Boolean> present = new ConcurrentHashMap<>();

  public CrdCatalog(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public boolean isInstalled(String crdName) {
    if (present.containsKey(crdName)) {
      return true;
    }
    Instant checked = absentSince.get(crdName);
    if (checked != null && clock.instant().isBefore(checked.plus(RECHECK_ABSENT))) {
      return false;
    }
    boolean installed =
        client.apiextensions().v1().customResourceDefinitions().withName(crdName).get() != null;
    if (installed) {
      present.put(crdName, true);
      absentSince.remove(crdName);
    } else {
      absentSince.put(crdName, clock.instant());
    }
    return installed;
  }
}
