package io.appenv.operator.observe;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Color;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What each environment's release read from its pods at its latest look, so that the pods are
 * listed once per look and not in every reconcile between two: at 1,000 environments those lists
 * were a quarter of the requests of a release of all (docs/benchmarks.md).
 */
public final class PodLookMemory {
  private record Look(Instant at, Optional<String> whyNotStarting) {}

  private final Map<String, Look> latest = new ConcurrentHashMap<>();

  public Optional<String> whyNotStarting(
      AppEnvironment env, Color color, Instant look, Supplier<Optional<String>> readPods) {
    String key = key(env, color);
    Look known = latest.get(key);
    if (known != null && known.at().equals(look)) {
      return known.whyNotStarting();
    }
    Optional<String> read = readPods.get();
    latest.put(key, new Look(look, read));
    return read;
  }

  public void forget(AppEnvironment env) {
    for (Color color : Color.values()) {
      latest.remove(key(env, color));
    }
  }

  private static String key(AppEnvironment env, Color color) {
    return env.getMetadata().getNamespace()
        + "/"
        + env.getMetadata().getName()
        + "/"
        + color.label();
  }
}
