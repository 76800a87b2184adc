package io.appenv.operator.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * API calls to the app, ten a second, sent to the process that the Service selects now, as
 * kube-proxy would route them: the destination (a local port) is looked up again every 200 ms.
 * Notes the first 5xx answer.
 */
final class Traffic implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String READINGS =
      "/api/v1/devices/boiler-1/readings?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z";

  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final AtomicInteger errors = new AtomicInteger();
  private final Thread thread;
  private volatile int destination;
  private volatile Instant firstErrorAt;

  /**
   * @param lookup the port of the process the Service selects; read from the API server, so it may
   *     throw
   */
  Traffic(String name, IntSupplier lookup) {
    thread = new Thread(() -> run(lookup), "traffic-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run(IntSupplier lookup) {
    long lastLookup = 0;
    while (sending.get()) {
      try {
        if (System.nanoTime() - lastLookup > 200_000_000L) {
          destination = lookup.getAsInt();
          lastLookup = System.nanoTime();
        }
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + destination + READINGS))
                    .header("X-API-Key", AlarmStack.READ_KEY)
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() >= 500) {
          errors.incrementAndGet();
          if (firstErrorAt == null) {
            firstErrorAt = Instant.now();
          }
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // a lookup or a request failed: try again on the next round
      }
    }
  }

  /** The port the Service selected at the last lookup. */
  int destination() {
    return destination;
  }

  /** When the first 5xx was answered, or null. */
  Instant firstErrorAt() {
    return firstErrorAt;
  }

  int errors() {
    return errors.get();
  }

  @Override
  public void close() throws InterruptedException {
    sending.set(false);
    thread.join();
  }
}
