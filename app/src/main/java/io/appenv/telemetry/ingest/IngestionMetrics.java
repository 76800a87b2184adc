package io.appenv.telemetry.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Ingestion counters, exported as telemetry_readings_ingested_total,
 * telemetry_readings_duplicates_total and telemetry_batches_rejected_total with a source label.
 */
@Component
public class IngestionMetrics {

  private final MeterRegistry registry;

  public IngestionMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (IngestSource source : IngestSource.values()) {
      // Registered up front so dashboards see zeros instead of missing series.
      ingested(source);
      duplicates(source);
      rejected(source);
    }
  }

  void recordAccepted(IngestSource source, IngestResult result) {
    ingested(source).increment(result.inserted());
    duplicates(source).increment(result.duplicates());
  }

  void recordRejected(IngestSource source) {
    rejected(source).increment();
  }

  private Counter ingested(IngestSource source) {
    return counter("telemetry.readings.ingested", "Readings stored", source);
  }

  private Counter duplicates(IngestSource source) {
    return counter(
        "telemetry.readings.duplicates", "Readings skipped because already stored", source);
  }

  private Counter rejected(IngestSource source) {
    return counter("telemetry.batches.rejected", "Batches refused for invalid rows", source);
  }

  private Counter counter(String name, String description, IngestSource source) {
    return Counter.builder(name)
        .description(description)
        .tag("source", source.label())
        .register(registry);
  }
}
