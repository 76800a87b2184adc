package io.appenv.telemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReadingFeedTest {

  @Test
  void rowsAfterTheFirstErrorAreCheckedButNotForwarded() throws Exception {
    String csv =
        """
                device_id,timestamp,metric,value
                d1,2025-01-01T00:00:00Z,temp,1
                d1,2025-01-01T00:00:01Z,temp,oops
                d1,2025-01-01T00:00:02Z,temp,3
                d1,not-a-time,temp,4
                """;
    List<Reading> forwarded = new ArrayList<>();

    List<RowError> errors = feed(csv, 100).feed(forwarded::add);

    assertThat(forwarded).extracting(Reading::value).containsExactly(1.0);
    assertThat(errors).extracting(RowError::row).containsExactly(3L, 5L);
  }

  @Test
  void errorListStopsAtTheConfiguredMaximum() throws Exception {
    StringBuilder csv = new StringBuilder("device_id,timestamp,metric,value\n");
    for (int i = 0; i < 50; i++) {
      csv.append("d1,2025-01-01T00:00:00Z,temp,x\n");
    }

    assertThat(feed(csv.toString(), 10).feed(r -> {})).hasSize(10);
  }

  @Test
  void wrongColumnCountIsARowError() throws Exception {
    List<RowError> errors =
        feed("device_id,timestamp,metric,value\nd1,2025-01-01T00:00:00Z\n", 10).feed(r -> {});

    assertThat(errors).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("row"));
  }

  @Test
  void emptyFileIsAHeaderError() throws Exception {
    assertThat(feed("", 10).feed(r -> {}))
        .singleElement()
        .satisfies(e -> assertThat(e.field()).isEqualTo("header"));
  }

  private static CsvReadingFeed feed(String csv, int maxErrors) {
    return new CsvReadingFeed(
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), maxErrors);
  }
}
