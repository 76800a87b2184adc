package io.appenv.telemetry.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appenv.telemetry.TelemetryProperties;
import io.appenv.telemetry.ingest.JsonBatchReader.ReadingJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Validates batches from either endpoint, writes them through COPY and counts the outcome. */
@Service
public class IngestionService {

  private static final Logger log = LoggerFactory.getLogger(IngestionService.class);

  private final StagedReadingWriter writer;
  private final IngestionMetrics metrics;
  private final ObjectMapper json;
  private final TelemetryProperties.Ingest limits;

  public IngestionService(
      StagedReadingWriter writer,
      IngestionMetrics metrics,
      ObjectMapper json,
      TelemetryProperties properties) {
    this.writer = writer;
    this.metrics = metrics;
    this.json = json;
    this.limits = properties.ingest();
  }

  public IngestResult ingestJson(InputStream body, long contentLength) throws IOException {
    long maxBytes = limits.maxBatchBody().toBytes();
    if (contentLength > maxBytes) {
      throw new PayloadTooLargeException("request body exceeds " + maxBytes + " bytes");
    }
    List<ReadingJson> rows =
        new JsonBatchReader(json, limits.maxBatchRows())
            .read(new BoundedInputStream(body, maxBytes));
    // The batch is in memory already, so validate all of it before touching the database.
    List<RowError> errors = new ArrayList<>();
    List<Reading> readings = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size() && errors.size() < limits.maxListedErrors(); i++) {
      ReadingJson row = rows.get(i);
      Reading reading =
          ReadingValidator.validate(
              i + 1,
              row.deviceId(),
              row.timestamp(),
              row.metric(),
              row.value(),
              row.tags(),
              errors);
      if (reading != null) {
        readings.add(reading);
      }
    }
    if (!errors.isEmpty()) {
      return reject(IngestSource.JSON, errors);
    }
    if (readings.isEmpty()) {
      return new IngestResult(0, 0, 0);
    }
    return write(
        IngestSource.JSON,
        sink -> {
          readings.forEach(sink);
          return List.of();
        });
  }

  public IngestResult importCsv(InputStream body) throws IOException {
    return write(IngestSource.CSV, new CsvReadingFeed(body, limits.maxListedErrors()));
  }

  private IngestResult write(IngestSource source, ReadingFeed feed) throws IOException {
    try {
      IngestResult result = writer.write(feed);
      metrics.recordAccepted(source, result);
      log.debug(
          "ingested {} readings via {}: {} new, {} duplicates",
          result.received(),
          source.label(),
          result.inserted(),
          result.duplicates());
      return result;
    } catch (BatchRejectedException e) {
      return reject(source, e.errors());
    }
  }

  private IngestResult reject(IngestSource source, List<RowError> errors) {
    metrics.recordRejected(source);
    log.info("rejected a {} batch with {} invalid row(s)", source.label(), errors.size());
    throw new BatchRejectedException(errors);
  }
}
