package io.appenv.operator.kpi;

import io.appenv.operator.api.ReleaseRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The DORA durations of one release record, measured the same way for the KPI metrics and for the
 * report.
 *
 * @param leadTime commit (CI's commit-timestamp) or else the release's start, to promotion; null
 *     until promoted
 * @param fromCommit whether the lead time counts from the commit
 * @param cycleTime the release's start to promotion; null until promoted
 * @param timeToRestore the alert's start to traffic back; null unless an alert rolled the release
 *     back, and until traffic is back
 * @param rolledBackByAlert whether an alert (not a person) rolled the release back
 */
public record ReleaseTimes(
    Duration leadTime,
    boolean fromCommit,
    Duration cycleTime,
    Duration timeToRestore,
    boolean rolledBackByAlert) {

  public static ReleaseTimes of(ReleaseRecord record) {
    Instant started = time(record.getStartedAt());
    Instant promoted = time(record.getPromotedAt());
    Instant committed = time(record.getCommitTime());
    Double restoreSeconds = record.getTimeToRestoreSeconds();
    return new ReleaseTimes(
        between(committed != null ? committed : started, promoted),
        committed != null,
        between(started, promoted),
        restoreSeconds == null ? null : Duration.ofMillis(Math.round(restoreSeconds * 1000)),
        // Records written before alertStartedAt existed have only the time to restore.
        record.getAlertStartedAt() != null || restoreSeconds != null);
  }

  private static Duration between(Instant start, Instant end) {
    if (start == null || end == null) {
      return null;
    }
    Duration duration = Duration.between(start, end);
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  /**
   * A status time; null when absent or not RFC 3339: a hand-edited status breaks neither reconcile
   * nor report.
   */
  public static Instant time(String value) {
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
