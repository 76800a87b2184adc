package io.appenv.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackupHealthTest {
  private static final Instant SINCE = Instant.parse("2026-11-20T12:00:00Z");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "daily, just created",
            "0 2 * * *",
            null,
            Duration.ofHours(3),
            false,
            "FirstBackupPending"),
        Arguments.of(
            "daily, none after a day",
            "0 2 * * *",
            null,
            Duration.ofHours(25),
            true,
            "NoBackupYet"),
        Arguments.of(
            "daily, last 30h ago",
            "0 2 * * *",
            Duration.ofHours(30),
            Duration.ofHours(60),
            false,
            "BackupSucceeded"),
        Arguments.of(
            "daily, last 49h ago",
            "0 2 * * *",
            Duration.ofHours(11),
            Duration.ofHours(60),
            true,
            "BackupStale"),
        Arguments.of(
            "every 6h, last 13h ago",
            "0 */6 * * *",
            Duration.ofHours(47),
            Duration.ofHours(60),
            true,
            "BackupStale"),
        Arguments.of(
            "every 6h, last 11h ago",
            "0 */6 * * *",
            Duration.ofHours(49),
            Duration.ofHours(60),
            false,
            "BackupSucceeded"),
        Arguments.of(
            "@hourly, none after 2h", "@hourly", null, Duration.ofHours(2), true, "NoBackupYet"));
  }

  /**
   * @param lastAfterSince when the last success was, counted from SINCE (null: none)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void staleWhenOlderThanTwoPeriodsOrNoneAfterTheFirst(
      String name,
      String schedule,
      Duration lastAfterSince,
      Duration nowAfterSince,
      boolean stale,
      String reason) {
    Instant last = lastAfterSince == null ? null : SINCE.plus(lastAfterSince);

    BackupHealth health = BackupHealth.of(schedule, SINCE, last, SINCE.plus(nowAfterSince));

    assertThat(health.stale()).isEqualTo(stale);
    assertThat(health.reason().value()).isEqualTo(reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("periods")
  void periodOfASchedule(String schedule, Duration period) {
    assertThat(BackupHealth.period(schedule, SINCE)).isEqualTo(period);
  }

  static Stream<Arguments> periods() {
    return Stream.of(
        Arguments.of("0 2 * * *", Duration.ofDays(1)),
        Arguments.of("*/15 * * * *", Duration.ofMinutes(15)),
        Arguments.of("@weekly", Duration.ofDays(7)),
        Arguments.of("0 */6 * * *", Duration.ofHours(6)));
  }
}
