package io.appenv.operator.api;

/**
 * Regular expressions the CRD schema enforces; kept in one place so docs and tests quote the same
 * text.
 */
public final class Patterns {
  /**
   * registry/path:tag or registry/path@sha256:digest; a tag or digest is required so each release
   * is identifiable.
   */
  public static final String IMAGE =
      "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$";

  /**
   * Go-style duration of h, m, s or ms, e.g. 10m, 1h30m, 500ms. At most six digits a part, so that
   * no value within the fields' length overflows a Go duration (about 292 years) when the API
   * server's CEL rules parse it.
   */
  public static final String DURATION = "^([0-9]{1,6}(ms|s|m|h))+$";

  /**
   * Five cron fields as Kubernetes' CronJob parses them (minute 0-59, hour 0-23, day of month 1-31,
   * month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT; *, ?, ranges, lists and steps of at least
   * 1), or one of its @-macros. A range that runs backwards or a date that never comes are
   * SpecValidator's.
   */
  public static final String CRON =
      "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|"
          + Cron.MINUTES
          + " +"
          + Cron.HOURS
          + " +"
          + Cron.DAYS_OF_MONTH
          + " +"
          + Cron.MONTHS
          + " +"
          + Cron.DAYS_OF_WEEK
          + ")$";

  /** Kubernetes quantity with a binary or decimal suffix, e.g. 10Gi, 500M. */
  public static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

  /** A CPU or memory quantity, also in millis, e.g. 500m, 1, 256Mi. */
  public static final String RESOURCE_QUANTITY =
      "^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

  /** An HTTP path. */
  public static final String HTTP_PATH = "^/[A-Za-z0-9/._~%!$&'()*+,;=:@-]*$";

  /** Environment variable name. */
  public static final String ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";

  /** Prometheus alert name (also a valid label value and Kubernetes-friendly). */
  public static final String ALERT_NAME = "^[A-Za-z][A-Za-z0-9_]*$";

  /** A threshold as a plain decimal number. */
  public static final String DECIMAL = "^[0-9]+(\\.[0-9]+)?$";

  /**
   * The AppEnvironment's name: a DNS-1035 label, as the Services named after it must be (a letter
   * first, no dots).
   */
  public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /** A namespace name (DNS-1123 label). */
  public static final String DNS_1123_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** The name of a Secret, ConfigMap or StorageClass (DNS-1123 subdomain). */
  public static final String DNS_1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A key of a Secret or ConfigMap. */
  public static final String CONFIG_KEY = "^[-._a-zA-Z0-9]+$";

  private Patterns() {}

  /**
   * The fields of {@link #CRON}: *, ?, a value or a range, each with an optional step; or a list of
   * them.
   */
  private static final class Cron {
    static final String STEP = "(/0*[1-9][0-9]{0,2})?";
    static final String MINUTE = "[0-5]?[0-9]";
    static final String MINUTE_ITEM = "(\\*|\\?|" + MINUTE + "(-" + MINUTE + ")?)" + STEP;
    static final String MINUTES = MINUTE_ITEM + "(," + MINUTE_ITEM + ")*";
    static final String HOUR = "([01]?[0-9]|2[0-3])";
    static final String HOUR_ITEM = "(\\*|\\?|" + HOUR + "(-" + HOUR + ")?)" + STEP;
    static final String HOURS = HOUR_ITEM + "(," + HOUR_ITEM + ")*";
    static final String DAY = "(0?[1-9]|[12][0-9]|3[01])";
    static final String DAY_ITEM = "(\\*|\\?|" + DAY + "(-" + DAY + ")?)" + STEP;
    static final String DAYS_OF_MONTH = DAY_ITEM + "(," + DAY_ITEM + ")*";
    static final String MONTH =
        "(0?[1-9]|1[0-2]|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))";
    static final String MONTH_ITEM = "(\\*|\\?|" + MONTH + "(-" + MONTH + ")?)" + STEP;
    static final String MONTHS = MONTH_ITEM + "(," + MONTH_ITEM + ")*";
    static final String WEEKDAY = "([0-6]|(?i:sun|mon|tue|wed|thu|fri|sat))";
    static final String WEEKDAY_ITEM = "(\\*|\\?|" + WEEKDAY + "(-" + WEEKDAY + ")?)" + STEP;
    static final String DAYS_OF_WEEK = WEEKDAY_ITEM + "(," + WEEKDAY_ITEM + ")*";
  }
}
