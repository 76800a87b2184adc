package io.appenv.telemetry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the service reads from its environment under {@code telemetry.*}; relaxed binding maps
 * TELEMETRY_API_KEYS, TELEMETRY_FAULT_ERROR_RATE, TELEMETRY_FAULT_DELAY and so on.
 *
 * @param apiKeys comma-separated {@code <sha256hex>:<role>} pairs; empty means every API call is
 *     refused
 */
@ConfigurationProperties("telemetry")
public record TelemetryProperties(
    @DefaultValue("") String apiKeys,
    @DefaultValue Ingest ingest,
    @DefaultValue Fault fault,
    @DefaultValue ReadonlyDatasource readonlyDatasource) {

  /** Bounds that keep one JSON request from exhausting the heap. */
  public record Ingest(
      @DefaultValue("10000") int maxBatchRows,
      @DefaultValue("8MB") DataSize maxBatchBody,
      @DefaultValue("100") int maxListedErrors) {}

  /** Off by default; the rollback demo turns it on to make a release look broken. */
  public record Fault(@DefaultValue("0") double errorRate, @DefaultValue("0ms") Duration delay) {

    public boolean active() {
      return errorRate > 0 || !delay.isZero();
    }
  }

  /**
   * Optional second connection for consumption queries: with a username, its own pool (on the main
   * datasource's URL when url is empty); without one, consumption uses the main pool.
   */
  public record ReadonlyDatasource(
      @DefaultValue("") String url,
      @DefaultValue("") String username,
      @DefaultValue("") String password) {

    public boolean configured() {
      return !username.isBlank();
    }
  }
}
