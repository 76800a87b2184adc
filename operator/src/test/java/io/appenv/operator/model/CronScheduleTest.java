package io.appenv.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
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

  static Stream<Arguments> longestPeriods() {
    return Stream.of(
        Arguments.of("0 2 * * *", Duration.ofDays(1)),
        Arguments.of("0 2 * * 1-5", Duration.ofDays(3)),
        Arguments.of("@monthly", Duration.ofDays(31)),
        Arguments.of("0 */6 * * *", Duration.ofHours(6)),
        Arguments.of("*/5 * * * 1-5", Duration.ofDays(2).plusMinutes(5)));
  }
}
