package io.appenv.operator.names;

/**
 * The field manager of what appenv applies: JOSDK's dependents and the Alertmanager webhook's
 * traffic switch write as one, so neither takes the other's fields, and the informers keep only
 * this manager's entry of managedFields.
 */
public final class FieldManager {
  public static final String APPENV = "appenvironment";

  private FieldManager() {}
}
