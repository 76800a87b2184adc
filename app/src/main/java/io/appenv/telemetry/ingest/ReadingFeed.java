package io.appenv.telemetry.ingest;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A source of validated readings that pushes rows into a sink one at a time, so a large import
 * streams from the request body to COPY without being held in memory.
 */
@FunctionalInterface
public interface ReadingFeed {

  /**
   * Pushes every valid row into {@code sink} until the first invalid row; after that it only
   * collects errors. An empty result means every row was pushed.
   */
  List<RowError> feed(Consumer<Reading> sink) throws IOException;
}
