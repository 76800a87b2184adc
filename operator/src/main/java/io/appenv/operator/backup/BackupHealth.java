package io.appenv.operator.backup;

import com.cronutils.model.time.ExecutionTime;
import io.appenv.operator.model.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * Whether the logical backups keep up with their schedule: a pure function of the schedule, when
 * backups began, the last success and the time. Stale means the last success is older than twice
 * the schedule's period, or there has been none since the first period passed.
 */
public record BackupHealth(
    boolean stale, String reason, String message, Instant lastSuccessfulTime) {
  private static final Map<String, Duration> LONGEST =
      new java.util.concurrent.ConcurrentHashMap<>();

  public static BackupHealth of(
      String schedule, Instant since, Instant lastSuccessful, Instant now) {
    Duration period = period(schedule, now);
    if (lastSuccessful == null) {
      if (now.isAfter(since.plus(period))) {
        return new BackupHealth(
            true,
            "NoBackupYet",
            "No backup has succeeded since "
                + since
                + ", although the schedule \""
                + schedule
                + "\" ran: check the Jobs of the backup CronJob",
            null);
      }
      return new BackupHealth(
          false,
          "FirstBackupPending",
          "The first backup runs on the schedule \"" + schedule + "\"",
          null);
    }
    if (now.isAfter(lastSuccessful.plus(period.multipliedBy(2)))) {
      return new BackupHealth(
          true,
          "BackupStale",
          "The last backup succeeded at "
              + lastSuccessful
              + ", more than two periods of \""
              + schedule
              + "\" ago: check the Jobs of the backup CronJob",
          lastSuccessful);
    }
    return new BackupHealth(
        false, "BackupSucceeded", "The last backup succeeded at " + lastSuccessful, lastSuccessful);
  }

  /**
   * The longest time between two runs over a year of the schedule (at most 5000 runs, enough for a
   * weekday schedule every few minutes to reach its weekend), from a fixed date so the answer never
   * changes: a weekday schedule's weekend counts, a monthly one gives 31 days. Remembered per
   * schedule.
   */
  public static Duration longestPeriod(String schedule) {
    return LONGEST.computeIfAbsent(schedule, BackupHealth::scanLongestPeriod);
  }

  private static Duration scanLongestPeriod(String schedule) {
    ExecutionTime times = CronSchedule.executionTime(schedule);
    ZonedDateTime run =
        times.nextExecution(ZonedDateTime.of(2026, 1, 5, 0, 0, 0, 0, ZoneOffset.UTC)).orElseThrow();
    ZonedDateTime end = run.plusYears(1);
    Duration longest = Duration.ZERO;
    for (int runs = 0; runs < 5000 && run.isBefore(end); runs++) {
      ZonedDateTime next = times.nextExecution(run).orElseThrow();
      Duration gap = Duration.between(run, next);
      longest = gap.compareTo(longest) > 0 ? gap : longest;
      run = next;
    }
    return longest;
  }

  /** The time between the next two runs of the schedule. */
  static Duration period(String schedule, Instant now) {
    ExecutionTime times = CronSchedule.executionTime(schedule);
    ZonedDateTime next = times.nextExecution(now.atZone(ZoneOffset.UTC)).orElseThrow();
    ZonedDateTime after = times.nextExecution(next).orElseThrow();
    return Duration.between(next, after);
  }
}
