package io.appenv.telemetry.ingest;

/**
 * Why one input row was refused.
 *
 * @param row 1-based position: index in the JSON array, or line number in the CSV file
 */
public record RowError(long row, String field, String message) {}
