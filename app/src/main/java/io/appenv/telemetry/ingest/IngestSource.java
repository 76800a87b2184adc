package io.appenv.telemetry.ingest;

/** Which endpoint a batch came through; a metrics label. */
public enum IngestSource {
  JSON("json"),
  CSV("csv");

  private final String label;

  IngestSource(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
