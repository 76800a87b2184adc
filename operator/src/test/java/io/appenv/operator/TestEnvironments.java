package io.appenv.operator;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentSpec;
import io.appenv.operator.api.AppSpec;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.api.ReleaseSpec;
import io.appenv.operator.api.ReleaseStrategy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.function.Consumer;

/**
 * AppEnvironments for tests: valid dev environments, Rolling or blue/green, changed by the caller
 * where it matters.
 */
public final class TestEnvironments {
  public static final String IMAGE = "ghcr.io/appenv/telemetry:1.0.0";

  private TestEnvironments() {}

  public static AppEnvironment rolling(String namespace, String name) {
    return rolling(namespace, name, spec -> {});
  }

  /** A blue/green environment (the default strategy of a real one). */
  public static AppEnvironment blueGreen(String namespace, String name) {
    return blueGreen(namespace, name, spec -> {});
  }

  public static AppEnvironment blueGreen(
      String namespace, String name, Consumer<AppEnvironmentSpec> customizer) {
    return rolling(
        namespace,
        name,
        spec -> {
          spec.getRelease().setStrategy(ReleaseStrategy.BlueGreen);
          customizer.accept(spec);
        });
  }

  public static AppEnvironment rolling(
      String namespace, String name, Consumer<AppEnvironmentSpec> customizer) {
    AppEnvironment env = new AppEnvironment();
    env.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(namespace).withGeneration(1L).build());
    AppEnvironmentSpec spec = new AppEnvironmentSpec();
    spec.setEnvironment(EnvironmentType.DEV);
    AppSpec app = new AppSpec();
    app.setImage(IMAGE);
    spec.setApp(app);
    ReleaseSpec release = new ReleaseSpec();
    release.setStrategy(ReleaseStrategy.Rolling);
    spec.setRelease(release);
    customizer.accept(spec);
    env.setSpec(spec);
    return env;
  }
}
