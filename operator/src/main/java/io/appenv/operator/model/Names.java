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

  /** The database's client Service and StatefulSet. */
  public static String database(AppEnvironment env) {
    return app(env) + "-db";
  }

  /** The headless Service that gives the database Pod its stable DNS name. */
  public static String databaseHeadless(AppEnvironment env) {
    return app(env) + "-db-hl";
  }

  public static String databaseCredentials(AppEnvironment env) {
    return app(env) + "-db-credentials";
  }

  public static String databaseInit(AppEnvironment env) {
    return app(env) + "-db-init";
  }

  /** The logical backup's CronJob and the volume its dumps go to. */
  public static String backupCronJob(AppEnvironment env) {
    return app(env) + "-backup";
  }

  public static String backupScripts(AppEnvironment env) {
    return app(env) + "-backup-scripts";
  }

  public static String podDisruptionBudget(AppEnvironment env) {
    return app(env);
  }

  public static String networkPolicy(AppEnvironment env) {
    return app(env);
  }




}
