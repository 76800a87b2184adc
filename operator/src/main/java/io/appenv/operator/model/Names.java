package io.appenv.operator.model;

import io.appenv.operator.api.AppEnvironment;

/** The one place that names the objects an AppEnvironment owns. */
public final class Names {
  private Names() {}

  public static String app(AppEnvironment env) {
    return env.getMetadata().getName();
  }

  public static String service(AppEnvironment env) {
    return app(env);
  }

  public static String previewService(AppEnvironment env) {
    return app(env) + "-preview";
  }

  public static String colorDeployment(AppEnvironment env, Color color) {
    return app(env) + "-" + color.label();
  }

  public static String podDisruptionBudget(AppEnvironment env) {
    return app(env);
  }

  public static String networkPolicy(AppEnvironment env) {
    return app(env);
  }




}
