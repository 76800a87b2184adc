package io.appenv.operator.release;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.builders.ColorDeploymentBuilder;
import io.appenv.operator.builders.TemplateHash;
import io.appenv.operator.names.Color;
import io.appenv.operator.observe.ColorState;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

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
