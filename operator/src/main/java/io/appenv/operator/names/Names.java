package io.appenv.operator.names;

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

  /**
   * The Velero Schedule lives in Velero's namespace beside other environments' schedules, so its
   * name carries the environment's namespace too. Velero copies it into a label of each Backup,
   * hence the 63-character limit; longer names end in a hash so they stay unique.
   */
  public static String veleroSchedule(AppEnvironment env) {
    String name = "appenv-" + env.getMetadata().getNamespace() + "-" + app(env);
    if (name.length() <= 63) {
      return name;
    }
    String hash = Integer.toHexString(name.hashCode() & 0x7fffffff);
    return name.substring(0, 62 - hash.length()).replaceAll("-+$", "") + "-" + hash;
  }
}
