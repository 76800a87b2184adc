package io.appenv.telemetry.ingest;

import java.util.List;

/** A batch with at least one invalid row; nothing of it was written. */
public class BatchRejectedException extends RuntimeException {

  private final transient List<RowError> errors;

  public BatchRejectedException(List<RowError> errors) {
    super(errors.size() + " invalid row(s), batch rejected");
    this.errors = List.copyOf(errors);
  }

  public List<RowError> errors() {
    return errors;
  }
}
