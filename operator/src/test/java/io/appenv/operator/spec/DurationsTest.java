package io.appenv.operator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void parsesGoStyleDurations() {
    assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("168h")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("2m30s")).isEqualTo(Duration.ofSeconds(150));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "m", "10 m", "1d", "10m-", "x10m"})
  void rejectsAnythingElse(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
