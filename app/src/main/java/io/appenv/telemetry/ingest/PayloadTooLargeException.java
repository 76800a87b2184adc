package io.appenv.telemetry.ingest;

/** A JSON batch above the configured row or byte limit; answered with 413. */
public class PayloadTooLargeException extends RuntimeException {

  public PayloadTooLargeException(String message) {
    super(message);
  }
}
