package io.appenv.telemetry.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code {"readings":[...]}} while enforcing the row limit as it goes, so an oversized batch
 * is refused before it is fully parsed. The byte limit is enforced by the stream.
 */
public final class JsonBatchReader {

  /** One element of the JSON array, before validation. */
  public record ReadingJson(
      String deviceId, String timestamp, String metric, Double value, Map<String, String> tags) {}

  private final ObjectMapper json;
  private final int maxRows;

  public JsonBatchReader(ObjectMapper json, int maxRows) {
    this.json = json;
    this.maxRows = maxRows;
  }

  public List<ReadingJson> read(InputStream body) throws IOException {
    try (JsonParser parser = json.getFactory().createParser(body)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "a JSON object {\"readings\": [...]}");
      List<ReadingJson> rows = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if ("readings".equals(field)) {
          rows = readArray(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (rows == null) {
        throw new MalformedBatchException("missing field \"readings\"");
      }
      return rows;
    }
  }

  private List<ReadingJson> readArray(JsonParser parser) throws IOException {
    expect(parser.currentToken(), JsonToken.START_ARRAY, "\"readings\" to be an array");
    List<ReadingJson> rows = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (rows.size() == maxRows) {
        throw new PayloadTooLargeException(
            "a batch holds at most " + maxRows + " readings; use /api/v1/readings/import for more");
      }
      rows.add(json.readValue(parser, ReadingJson.class));
    }
    return rows;
  }

  private static void expect(JsonToken actual, JsonToken expected, String what) {
    if (actual != expected) {
      throw new MalformedBatchException("expected " + what);
    }
  }

  /** The body is not the batch shape at all (as opposed to a row that breaks a rule). */
  public static class MalformedBatchException extends RuntimeException {

    public MalformedBatchException(String message) {
      super(message);
    }
  }
}
