package io.appenv.telemetry.api;

/** A query parameter that parses but makes no sense (empty range, unknown window...); 400. */
public class InvalidRequestException extends RuntimeException {

  public InvalidRequestException(String message) {
    super(message);
  }
}
