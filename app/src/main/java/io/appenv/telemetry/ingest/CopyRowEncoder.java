package io.appenv.telemetry.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes readings as the CSV lines that {@code COPY ... WITH (FORMAT csv)} reads. Device ids and
 * metrics were validated to a quote-free alphabet; only the tags JSON needs CSV quoting, and an
 * absent tags field is left empty, which COPY stores as NULL.
 */
final class CopyRowEncoder {

  private final Writer out;
  private final ObjectMapper json;

  CopyRowEncoder(Writer out, ObjectMapper json) {
    this.out = out;
    this.json = json;
  }

  void write(Reading reading) {
    try {
      out.write(reading.deviceId());
      out.write(',');
      out.write(reading.timestamp());
      out.write(',');
      out.write(reading.metric());
      out.write(',');
      out.write(Double.toString(reading.value()));
      out.write(',');
      if (!reading.tags().isEmpty()) {
        writeQuoted(json.writeValueAsString(reading.tags()));
      }
      out.write('\n');
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("tags of a validated reading must serialize", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeQuoted(String text) throws IOException {
    out.write('"');
    out.write(text.replace("\"", "\"\""));
    out.write('"');
  }
}
