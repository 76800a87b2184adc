package io.appenv.operator.spec;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppSpec;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.api.ProbesSpec;
import io.appenv.operator.api.ReleaseSpec;
import io.appenv.operator.api.ReleaseStrategy;
import java.util.Optional;

/**
 * Effective values where the spec leaves a choice to the environment or where an object is absent.
 * The CRD's schema defaults cover a real API server; these cover what the schema cannot know.
 */
public final class EnvironmentDefaults {
  private EnvironmentDefaults() {}

  /** spec.monitoring.enabled: the ServiceMonitor and the PrometheusRule exist (default true). */
  public static boolean monitored(AppEnvironment env) {
    return Optional.ofNullable(env.getSpec().getMonitoring())
        .map(MonitoringSpec::getEnabled)
        .orElse(true);
  }

  public static EnvironmentType environment(AppEnvironment env) {
    return Optional.ofNullable(env.getSpec().getEnvironment()).orElse(EnvironmentType.DEV);
  }

  public static int replicas(AppEnvironment env) {
    AppSpec app = env.getSpec().getApp();
    return app.getReplicas() != null ? app.getReplicas() : environment(env).defaultReplicas();
  }

  public static int port(AppEnvironment env) {
    return Optional.ofNullable(env.getSpec().getApp().getPort()).orElse(AppSpec.DEFAULT_PORT);
  }

  public static ProbesSpec probes(AppEnvironment env) {
    return Optional.ofNullable(env.getSpec().getApp().getProbes()).orElseGet(ProbesSpec::new);
  }

  public static ReleaseSpec release(AppEnvironment env) {
    return Optional.ofNullable(env.getSpec().getRelease()).orElseGet(ReleaseSpec::new);
  }

  public static ReleaseStrategy strategy(AppEnvironment env) {
    return Optional.ofNullable(release(env).getStrategy()).orElse(ReleaseStrategy.BlueGreen);
  }
}
