package io.appenv.operator.observe;

import com.cronutils.model.time.ExecutionTime;
import io.appenv.operator.events.Reason;
import io.appenv.operator.spec.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Whether the logical backups keep up with their schedule: a pure function of the schedule, when
 * backups began, the last success and the time. Stale means the last success is older than twice
 * the schedule's period, or there has been none since the first period passed.
 */
public record BackupHealth(
    boolean stale, Reason reason, String message, Instant lastSuccessfulTime) {
  public static BackupHealth of(
      String schedule, Instant since, Instant lastSuccessful, Instant now) {
    Duration period = period(schedule, now);
    if (lastSuccessful == null) {
      if (now.isAfter(since.plus(period))) {
        return new BackupHealth(
            true,
            Reason.NO_BACKUP_YET,
            "No backup has succeeded since "
                + since
                + ", although the schedule \""
                + schedule
                + "\" ran: check the Jobs of the backup CronJob",
            null);
      }
      return new BackupHealth(
          false,
          Reason.FIRST_BACKUP_PENDING,
          "The first backup runs on the schedule \"" + schedule + "\"",
          null);
    }
    if (now.isAfter(lastSuccessful.plus(period.multipliedBy(2)))) {
      return new BackupHealth(
          true,
          Reason.BACKUP_STALE,
          "The last backup succeeded at "
              + lastSuccessful
              + ", more than two periods of \""
              + schedule
              + "\" ago: check the Jobs of the backup CronJob",
          lastSuccessful);
    }
    return new BackupHealth(
        false,
        Reason.BACKUP_SUCCEEDED,
        "The last backup succeeded at " + lastSuccessful,
        lastSuccessful);
  }

  /** The time between the next two runs of the schedule. */
  static Duration period(String schedule, Instant now) {
    ExecutionTime times = CronSchedule.executionTime(schedule);
    ZonedDateTime next = times.nextExecution(now.atZone(ZoneOffset.UTC)).orElseThrow();
    ZonedDateTime after = times.nextExecution(next).orElseThrow();
    return Duration.between(next, after);
  }
}
