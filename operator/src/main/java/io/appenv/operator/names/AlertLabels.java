package io.appenv.operator.names;

/**
 * The labels appenv's alerts carry, and the webhook reads back: which environment an alert is
 * about, whether it may roll the environment back, and where it came from.
 */
public final class AlertLabels {
  public static final String NAMESPACE = "appenv_namespace";
  public static final String NAME = "appenv_name";
  public static final String ROLLBACK = "appenv_rollback";
  public static final String ENVIRONMENT = "appenv_environment";

  /**
   * The namespace of the rule an alert came from. The Prometheus Operator sets it on every alert of
   * a PrometheusRule, whatever the rule says, when the Prometheus has enforcedNamespaceLabel:
   * namespace.
   */
  public static final String ORIGIN_NAMESPACE = "namespace";

  private AlertLabels() {}
}
