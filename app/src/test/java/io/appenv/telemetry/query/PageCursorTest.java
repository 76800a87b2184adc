package io.appenv.telemetry.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appenv.telemetry.api.InvalidRequestException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PageCursorTest {

  @Test
  void cursorRoundTripsWithMicrosecondsAndPipesInTheMetric() {
    PageCursor cursor = new PageCursor(Instant.parse("2025-01-01T00:00:00.123456Z"), "a|b");

    assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void garbageIsRefusedAsAnInvalidRequest() {
    assertThatThrownBy(() -> PageCursor.decode("@@@")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> PageCursor.decode("bm8tYmFy"))
        .isInstanceOf(InvalidRequestException.class);
  }
}
