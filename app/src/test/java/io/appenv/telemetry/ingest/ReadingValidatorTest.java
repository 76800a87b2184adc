package io.appenv.telemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadingValidatorTest {

  @Test
  void validRowBecomesAReadingInUtc() {
    List<RowError> errors = new ArrayList<>();
    Reading reading =
        ReadingValidator.validate(
            1, "dev-1", "2025-01-01T02:00:00+02:00", "temp", 1.5, Map.of("a", "b"), errors);

    assertThat(errors).isEmpty();
    assertThat(reading.timestamp()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void everyBrokenFieldIsReportedWithItsRow() {
    List<RowError> errors = new ArrayList<>();
    Reading reading =
        ReadingValidator.validate(
            7, "", "2025-01-01T00:00:00", "a,b", Double.NaN, Map.of("bad key", "v"), errors);

    assertThat(reading).isNull();
    assertThat(errors)
        .extracting(RowError::field)
        .containsExactly("deviceId", "metric", "timestamp", "value", "tags");
    assertThat(errors).extracting(RowError::row).containsOnly(7L);
  }

  @Test
  void identifiersThatWouldNeedQuotingInCopyAreRefused() {
    for (String id : List.of("a\"b", "a\nb", "-leading", "x".repeat(65), "with space")) {
      List<RowError> errors = new ArrayList<>();
      ReadingValidator.validate(1, id, "2025-01-01T00:00:00Z", "temp", 1.0, null, errors);
      assertThat(errors).as(id).extracting(RowError::field).containsExactly("deviceId");
    }
  }

  @Test
  void tagValuesWithNulOrTooLongAreRefused() {
    List<RowError> errors = new ArrayList<>();
    ReadingValidator.validate(
        1, "d", "2025-01-01T00:00:00Z", "m", 1.0, Map.of("k", "a\u0000b"), errors);
    ReadingValidator.validate(
        2, "d", "2025-01-01T00:00:00Z", "m", 1.0, Map.of("k", "v".repeat(257)), errors);

    assertThat(errors).extracting(RowError::row).containsExactly(1L, 2L);
  }
}
