package io.appenv.telemetry.ingest;

import java.util.Map;

/**
 * A reading that passed validation and can be written as is.
 *
 * @param timestamp canonical UTC ISO-8601 text ({@code ...Z}), as COPY reads it
 */
public record Reading(
    String deviceId, String timestamp, String metric, double value, Map<String, String> tags) {}
