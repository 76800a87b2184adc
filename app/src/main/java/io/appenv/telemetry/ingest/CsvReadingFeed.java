package io.appenv.telemetry.ingest;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a CSV file with the header {@code device_id,timestamp,metric,value[,tags]}, where tags
 * are {@code key=value} pairs separated by {@code ;}. Rows go to the sink as they are parsed; after
 * the first invalid row the rest of the file is only checked, up to {@code maxListedErrors} errors,
 * so the caller can report them all at once. Row numbers are line numbers as long as no quoted
 * field spans lines.
 */
public final class CsvReadingFeed implements ReadingFeed {

  static final List<String> HEADER = List.of("device_id", "timestamp", "metric", "value", "tags");
  private static final CsvMapper CSV = new CsvMapper();

  private final InputStream body;
  private final int maxListedErrors;

  public CsvReadingFeed(InputStream body, int maxListedErrors) {
    this.body = body;
    this.maxListedErrors = maxListedErrors;
  }

  @Override
  public List<RowError> feed(Consumer<Reading> sink) throws IOException {
    List<RowError> errors = new ArrayList<>();
    try (MappingIterator<String[]> rows =
        CSV.readerForArrayOf(String.class)
            .with(CsvParser.Feature.WRAP_AS_ARRAY)
            .with(CsvParser.Feature.TRIM_SPACES)
            .readValues(body)) {
      if (!rows.hasNextValue() || !isHeader(rows.nextValue())) {
        return List.of(
            new RowError(
                1,
                "header",
                "first line must be " + String.join(",", HEADER) + " (tags optional)"));
      }
      long line = 1;
      while (rows.hasNextValue() && errors.size() < maxListedErrors) {
        String[] columns = rows.nextValue();
        line++;
        Reading reading = parse(line, columns, errors);
        if (reading != null && errors.isEmpty()) {
          sink.accept(reading);
        }
      }
    }
    return errors;
  }

  private static boolean isHeader(String[] columns) {
    int n = columns.length;
    return (n == 4 || n == 5) && HEADER.subList(0, n).equals(List.of(columns));
  }

  private static Reading parse(long line, String[] columns, List<RowError> errors) {
    if (columns.length < 4 || columns.length > 5) {
      errors.add(new RowError(line, "row", "expected 4 or 5 columns, found " + columns.length));
      return null;
    }
    Double value = parseValue(line, columns[3], errors);
    Map<String, String> tags = columns.length == 5 ? parseTags(line, columns[4], errors) : null;
    if (value == null && !columns[3].isEmpty()) {
      return null;
    }
    return ReadingValidator.validate(line, columns[0], columns[1], columns[2], value, tags, errors);
  }

  private static Double parseValue(long line, String text, List<RowError> errors) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Double.valueOf(text);
    } catch (NumberFormatException e) {
      errors.add(new RowError(line, "value", "'" + text + "' is not a number"));
      return null;
    }
  }

  private static Map<String, String> parseTags(long line, String text, List<RowError> errors) {
    if (text.isEmpty()) {
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : text.split(";")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        errors.add(new RowError(line, "tags", "'" + pair + "' is not key=value"));
        return null;
      }
      tags.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return tags;
  }
}
