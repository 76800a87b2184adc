package io.appenv.telemetry.ingest;

import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The row rules shared by JSON and CSV ingestion. Identifiers are restricted to a safe alphabet,
 * which also means they never need quoting on their way into COPY.
 */
public final class ReadingValidator {

  static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  static final int MAX_TAGS = 16;
  static final int MAX_TAG_VALUE_LENGTH = 256;

  private ReadingValidator() {}

  /** Returns the reading, or null after adding at least one error for this row. */
  public static Reading validate(
      long row,
      String deviceId,
      String timestamp,
      String metric,
      Double value,
      Map<String, String> tags,
      List<RowError> errors) {
    int before = errors.size();
    checkIdentifier(row, "deviceId", deviceId, errors);
    checkIdentifier(row, "metric", metric, errors);
    String utcTimestamp = parseTimestamp(row, timestamp, errors);
    if (value == null) {
      errors.add(new RowError(row, "value", "is required"));
    } else if (value.isNaN() || value.isInfinite()) {
      errors.add(new RowError(row, "value", "must be a finite number"));
    }
    checkTags(row, tags, errors);
    if (errors.size() > before) {
      return null;
    }
    return new Reading(deviceId, utcTimestamp, metric, value, tags == null ? Map.of() : tags);
  }

  private static void checkIdentifier(long row, String field, String value, List<RowError> errors) {
    if (value == null || value.isEmpty()) {
      errors.add(new RowError(row, field, "is required"));
    } else if (!IDENTIFIER.matcher(value).matches()) {
      errors.add(
          new RowError(
              row,
              field,
              "must be 1-64 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit"));
    }
  }

  private static String parseTimestamp(long row, String timestamp, List<RowError> errors) {
    if (timestamp == null || timestamp.isEmpty()) {
      errors.add(new RowError(row, "timestamp", "is required"));
      return null;
    }
    try {
      // An explicit offset is required: a local time would silently depend on server settings.
      return UtcTimestamps.canonical(timestamp);
    } catch (DateTimeParseException e) {
      errors.add(
          new RowError(
              row, "timestamp", "must be ISO-8601 with an offset, e.g. 2025-01-31T12:00:00Z"));
      return null;
    }
  }

  private static void checkTags(long row, Map<String, String> tags, List<RowError> errors) {
    if (tags == null) {
      return;
    }
    if (tags.size() > MAX_TAGS) {
      errors.add(new RowError(row, "tags", "at most " + MAX_TAGS + " tags"));
      return;
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!TAG_KEY.matcher(tag.getKey()).matches()) {
        errors.add(
            new RowError(
                row,
                "tags",
                "tag key '" + tag.getKey() + "' must be 1-64 characters of A-Z a-z 0-9 _ . -"));
      } else if (tag.getValue() == null
          || tag.getValue().length() > MAX_TAG_VALUE_LENGTH
          || tag.getValue().indexOf('\u0000') >= 0) {
        errors.add(
            new RowError(
                row,
                "tags",
                "tag '"
                    + tag.getKey()
                    + "' needs a value of at most "
                    + MAX_TAG_VALUE_LENGTH
                    + " characters, without NUL"));
      }
    }
  }
}
