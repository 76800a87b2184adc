package io.appenv.operator.api;

/**
 * CEL rules the CRD schema enforces beside the patterns. The API server evaluates them even when
 * the field's pattern fails, so a rule that parses the value first lets a malformed one through:
 * the pattern alone then reports it, once.
 */
final class Rules {
  static final String IF_DURATION = "!self.matches(r'" + Patterns.DURATION + "') || ";
  static final String IF_QUANTITY = "!isQuantity(self) || ";
  static final String POSITIVE_QUANTITY =
      IF_QUANTITY + "quantity(self).isGreaterThan(quantity('0'))";
  static final String POSITIVE_QUANTITY_MESSAGE =
      "must be more than 0: leave it out rather than set it to 0";

  /** Larger than any single volume the big clouds offer. */
  static final String VOLUME_SIZE =
      IF_QUANTITY
          + "quantity(self).isGreaterThan(quantity('0')) && quantity(self).compareTo(quantity('64Ti')) <= 0";

  static final String VOLUME_SIZE_MESSAGE = "must be more than 0 and at most 64Ti, e.g. 20Gi";
  static final String CRON = "self.matches(r'" + Patterns.CRON + "')";
  static final String CRON_MESSAGE =
      "must be a cron schedule of five fields: minute 0-59, hour 0-23, day of month"
          + " 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT (each *, a value, a range a-b, a list a,b or a"
          + " step */n), e.g. \"0 2 * * *\"; or @hourly, @daily, @weekly, @monthly, @yearly";

  private Rules() {}
}
