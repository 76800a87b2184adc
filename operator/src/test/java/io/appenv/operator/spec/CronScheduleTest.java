package io.appenv.operator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.time.ExecutionTime;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CronScheduleTest {

  /**
   * The alert rule waits two of the longest gaps: a weekday schedule's weekend must not look stale.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("longestPeriods")
  void longestPeriodOfASchedule(String schedule, Duration longest) {
    assertThat(CronSchedule.longestPeriod(schedule)).isEqualTo(longest);
  }

  @Test
  void whatIsReadFromAScheduleIsRememberedAndStaysRightPastTheBound() {
    String daily = "0 2 * * *";
    String backwards = "0 2 * * 5-1";
    ExecutionTime first = CronSchedule.executionTime(daily);
    String problem = CronSchedule.problem(backwards);

    assertThat(CronSchedule.executionTime(daily)).isSameAs(first);
    assertThat(problem).contains("runs backwards");
    assertThat(CronSchedule.problem(backwards)).isEqualTo(problem);
    assertThat(CronSchedule.problem(daily)).isNull();

    for (int i = 0; i <= CronSchedule.REMEMBERED; i++) {
      CronSchedule.executionTime((i % 60) + " " + (i / 60 % 24) + " " + (1 + i / 1440) + " * *");
    }
    assertThat(CronSchedule.executionTime(daily))
        .as("read again once the map started over")
        .isNotSameAs(first);
    ZonedDateTime from = ZonedDateTime.of(2026, 12, 3, 12, 0, 0, 0, ZoneOffset.UTC);
    assertThat(CronSchedule.executionTime(daily).nextExecution(from))
        .contains(ZonedDateTime.of(2026, 12, 4, 2, 0, 0, 0, ZoneOffset.UTC));
    assertThat(CronSchedule.problem(backwards)).isEqualTo(problem);
    assertThat(CronSchedule.problem("0 2 31 2 *")).contains("never runs");
  }

  static Stream<Arguments> longestPeriods() {
    return Stream.of(
        Arguments.of("0 2 * * *", Duration.ofDays(1)),
        Arguments.of("0 2 * * 1-5", Duration.ofDays(3)),
        Arguments.of("@monthly", Duration.ofDays(31)),
        Arguments.of("0 */6 * * *", Duration.ofHours(6)),
        Arguments.of("*/5 * * * 1-5", Duration.ofDays(2).plusMinutes(5)));
  }
}
