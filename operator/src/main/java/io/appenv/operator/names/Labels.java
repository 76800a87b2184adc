package io.appenv.operator.names;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.spec.EnvironmentDefaults;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels of owned objects, after the app.kubernetes.io recommendations. */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String ENVIRONMENT = "platform.appenv.io/environment";
  public static final String COLOR = "platform.appenv.io/color";
  public static final String MANAGER = "appenv";

  /**
   * What the operator's informers watch: only objects it made, not every Secret or Deployment of
   * the cluster.
   */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  public static final String COMPONENT_APP = "app";
  public static final String COMPONENT_PREVIEW = "preview";
  public static final String COMPONENT_DATABASE = "database";
  public static final String COMPONENT_BACKUP = "backup";

  /** Jobs that administer the database as its superuser (the roles Job). */
  public static final String COMPONENT_DATABASE_ADMIN = "database-admin";

  private Labels() {}

  /** Labels every object of the environment carries. */
  public static Map<String, String> common(AppEnvironment env, String component) {
    Map<String, String> labels = new LinkedHashMap<>(selector(env, component));
    labels.put(MANAGED_BY, MANAGER);
    labels.put(PART_OF, MANAGER);
    labels.put(
        ENVIRONMENT,
        EnvironmentDefaults.environment(env).name().toLowerCase(java.util.Locale.ROOT));
    return labels;
  }

  /**
   * The stable subset used in selectors; selectors of Deployments are immutable, so nothing here
   * may change.
   */
  public static Map<String, String> selector(AppEnvironment env, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, Names.app(env));
    labels.put(INSTANCE, Names.app(env));
    labels.put(COMPONENT, component);
    return labels;
  }

  public static Map<String, String> withColor(Map<String, String> labels, Color color) {
    Map<String, String> copy = new LinkedHashMap<>(labels);
    copy.put(COLOR, color.label());
    return copy;
  }
}
