package io.appenv.telemetry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appenv.telemetry.ingest.BatchRejectedException;
import io.appenv.telemetry.ingest.JsonBatchReader.MalformedBatchException;
import io.appenv.telemetry.ingest.PayloadTooLargeException;
import io.appenv.telemetry.ingest.RowError;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Turns expected failures into a small JSON body a client can act on. */
@RestControllerAdvice
public class ApiExceptionHandler {

  private final ObjectMapper json;

  public ApiExceptionHandler(ObjectMapper json) {
    this.json = json;
  }

  /** The error body; {@code rowErrors} is only present for a rejected batch. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApiError(String error, List<RowError> rowErrors) {}

  @ExceptionHandler(BatchRejectedException.class)
  ResponseEntity<ApiError> rejected(BatchRejectedException e) {
    return respond(HttpStatus.BAD_REQUEST, e.getMessage(), e.errors());
  }

  // Sent with a Content-Length and Connection: close: Tomcat will not read the rest of an
  // oversized body, so a chunked answer could be cut off when it drops the connection.
  @ExceptionHandler(PayloadTooLargeException.class)
  ResponseEntity<byte[]> tooLarge(PayloadTooLargeException e) throws JsonProcessingException {
    byte[] body = json.writeValueAsBytes(new ApiError(e.getMessage(), null));
    return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
        .contentType(MediaType.APPLICATION_JSON)
        .contentLength(body.length)
        .header(HttpHeaders.CONNECTION, "close")
        .body(body);
  }

  @ExceptionHandler({MalformedBatchException.class, InvalidRequestException.class})
  ResponseEntity<ApiError> invalid(RuntimeException e) {
    return respond(HttpStatus.BAD_REQUEST, e.getMessage(), null);
  }

  @ExceptionHandler(JsonProcessingException.class)
  ResponseEntity<ApiError> unreadableJson(JsonProcessingException e) {
    // Jackson reads both bodies, so this is malformed JSON or an unreadable CSV line.
    return respond(HttpStatus.BAD_REQUEST, "malformed body: " + e.getOriginalMessage(), null);
  }

  @ExceptionHandler({
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<ApiError> badParameter(Exception e) {
    return respond(HttpStatus.BAD_REQUEST, e.getMessage(), null);
  }

  private static ResponseEntity<ApiError> respond(
      HttpStatus status, String message, List<RowError> rowErrors) {
    return ResponseEntity.status(status).body(new ApiError(message, rowErrors));
  }
}
