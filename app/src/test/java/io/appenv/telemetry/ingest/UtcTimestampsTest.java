package io.appenv.telemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UtcTimestampsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"2025-01-31T12:00:00Z", "2024-02-29T23:59:59.123456Z", "2025-01-01T00:00:00.1Z"})
  void canonicalUtcTextPassesThroughUnchanged(String text) {
    assertThat(UtcTimestamps.canonical(text)).isSameAs(text);
  }

  @ParameterizedTest
  @CsvSource({
    "2025-01-31T13:00:00+01:00, 2025-01-31T12:00:00Z",
    "2025-01-31T12:00Z,         2025-01-31T12:00:00Z",
    "2025-01-31T12:00:00.5-02:30, 2025-01-31T14:30:00.500Z"
  })
  void otherOffsetsAreConvertedToUtc(String text, String expected) {
    assertThat(UtcTimestamps.canonical(text)).isEqualTo(expected);
  }

  @Test
  void impossibleDatesAndMissingOffsetsAreRefused() {
    for (String text :
        new String[] {
          "2025-02-30T00:00:00Z",
          "2025-01-01T24:00:00Z",
          "2025-01-01T00:00:00",
          "2025-13-01T00:00:00Z",
          "yesterday"
        }) {
      assertThatThrownBy(() -> UtcTimestamps.canonical(text))
          .as(text)
          .isInstanceOf(DateTimeParseException.class);
    }
  }
}
