package io.appenv.telemetry.ingest;

/** What a successful batch did: every received row was either inserted or a duplicate. */
public record IngestResult(long received, long inserted, long duplicates) {}
