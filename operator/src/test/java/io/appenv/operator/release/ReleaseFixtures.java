package io.appenv.operator.release;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.builders.ColorDeploymentBuilder;
import io.appenv.operator.builders.TemplateHash;
import io.appenv.operator.names.Color;
import io.appenv.operator.observe.ColorState;
import io.appenv.operator.observe.DatabaseState;
import io.appenv.operator.observe.JobState;
import io.appenv.operator.observe.PodLooks;
import io.appenv.operator.observe.Snapshot;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Blue/green environments and colour states for the release tests. */
final class ReleaseFixtures {
  private ReleaseFixtures() {}

  /** A blue/green prod environment of two replicas running {@code image}, with an empty status. */
  static AppEnvironment env(String image) {
    AppEnvironment env =
        TestEnvironments.rolling(
            "shop-prod",
            "shop",
            spec -> {
              spec.getRelease().setStrategy(ReleaseStrategy.BlueGreen);
              spec.getApp().setImage(image);
              spec.getApp().setReplicas(2);
            });
    env.setStatus(new AppEnvironmentStatus());
    return env;
  }

  /** The colour's Deployment as the cluster would show it after running the spec of {@code of}. */
  static ColorState running(AppEnvironment of, int replicas, boolean available) {
    var template = ColorDeploymentBuilder.specTemplate(of);
    return new ColorState(TemplateHash.of(template), template, replicas, available);
  }

  /** Running and available since {@code since} (its Deployment's Available condition). */
  static ColorState availableSince(AppEnvironment of, int replicas, Instant since) {
    var template = ColorDeploymentBuilder.specTemplate(of);
    return new ColorState(TemplateHash.of(template), template, replicas, true, since);
  }

  /** What a reconcile sees at {@code at}: these colours, no database, no Jobs, pods that start. */
  static Snapshot seen(Map<Color, ColorState> colors, Instant at) {
    return new Snapshot(at, colors, false, null, null, Map.of(), (color, look) -> Optional.empty());
  }

  /** The same, with these Jobs. */
  static Snapshot withJobs(Snapshot seen, Map<String, JobState> jobs) {
    return new Snapshot(
        seen.at(),
        seen.colors(),
        seen.appDeploymentExists(),
        seen.database(),
        seen.credentialsUid(),
        jobs,
        seen.pods());
  }

  /** The same, with a database that does or does not accept connections. */
  static Snapshot withDatabaseReady(Snapshot seen, boolean ready) {
    return new Snapshot(
        seen.at(),
        seen.colors(),
        seen.appDeploymentExists(),
        new DatabaseState(ready, "17", "17", "shop-db-credentials", null, false),
        seen.credentialsUid(),
        seen.jobs(),
        seen.pods());
  }

  /** The same, with pods that say why they do not start. */
  static Snapshot withPods(Snapshot seen, PodLooks pods) {
    return new Snapshot(
        seen.at(),
        seen.colors(),
        seen.appDeploymentExists(),
        seen.database(),
        seen.credentialsUid(),
        seen.jobs(),
        pods);
  }

  static Map<Color, ColorState> colors(ColorState blue, ColorState green) {
    Map<Color, ColorState> observed = new EnumMap<>(Color.class);
    if (blue != null) {
      observed.put(Color.BLUE, blue);
    }
    if (green != null) {
      observed.put(Color.GREEN, green);
    }
    return observed;
  }
}
