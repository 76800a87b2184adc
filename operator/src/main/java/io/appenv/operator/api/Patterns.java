package io.appenv.operator.api;

/** Regular expressions the CRD schema enforces; kept in one place so docs and tests quote the same text. */
public final class Patterns {
  /** registry/path:tag or registry/path@sha256:digest; a tag or digest is required so each release is identifiable. */
  public static final String IMAGE =
      "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$";
  /** Go-style duration of h, m, s or ms, e.g. 10m, 1h30m, 500ms. */
  public static final String DURATION = "^([0-9]+(ms|s|m|h))+$";
  /** Five-field cron expression or one of the @-macros CronJob accepts. */
  public static final String CRON =
      "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|([0-9A-Za-z*/,?-]+ +){4}[0-9A-Za-z*/,?-]+)$";
  /** Kubernetes quantity with a binary or decimal suffix, e.g. 10Gi, 500M. */
  public static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";
  /** A CPU or memory quantity, also in millis, e.g. 500m, 1, 256Mi. */
  public static final String RESOURCE_QUANTITY = "^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";
  /** IPv4 or IPv6 CIDR block. */
  public static final String CIDR = "^[0-9a-fA-F.:]+/[0-9]{1,3}$";
  /** An HTTP path. */
  public static final String HTTP_PATH = "^/[A-Za-z0-9/._~%!$&'()*+,;=:@-]*$";
  /** Environment variable name. */
  public static final String ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";
  /** Prometheus alert name (also a valid label value and Kubernetes-friendly). */
  public static final String ALERT_NAME = "^[A-Za-z][A-Za-z0-9_]*$";
  /** A threshold as a plain decimal number. */
  public static final String DECIMAL = "^[0-9]+(\\.[0-9]+)?$";

  private Patterns() {}
}
