package io.appenv.telemetry.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The two ways in. Both read the raw request stream instead of binding a body, so the JSON limits
 * apply while parsing and a CSV import never sits in memory.
 */
@RestController
@RequestMapping("/api/v1/readings")
public class IngestionController {

  private final IngestionService ingestion;

  public IngestionController(IngestionService ingestion) {
    this.ingestion = ingestion;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public IngestResult ingestBatch(HttpServletRequest request) throws IOException {
    return ingestion.ingestJson(request.getInputStream(), request.getContentLengthLong());
  }

  @PostMapping(
      path = "/import",
      consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  public IngestResult importCsv(HttpServletRequest request) throws IOException {
    return ingestion.importCsv(request.getInputStream());
  }
}
