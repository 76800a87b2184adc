package io.appenv.operator.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * API calls to the app, one after another with a pause between them, each sent where the Service
 * sends traffic now, as kube-proxy would route it: the destination is looked up again every 200 ms.
 * Notes the first 5xx answer, and when the destination last changed.
 */
final class Traffic implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String READINGS =
      "/api/v1/devices/boiler-1/readings?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z";
  private static final long LOOKUP_NANOS = Duration.ofMillis(200).toNanos();

  private final Supplier<URI> lookup;
  private final String apiKey;
  private final ScheduledExecutorService sender;
  private final AtomicInteger errors = new AtomicInteger();
  private long lastLookup = System.nanoTime() - LOOKUP_NANOS; // the sender's thread only
  private volatile URI destination;
  private volatile Instant destinationSince;
  private volatile Instant firstErrorAt;

  /**
   * @param lookup where the Service sends traffic now, or null while it sends it nowhere; read from
   *     the API server, so it may throw (that round sends nothing)
   * @param pause between the end of one call and the start of the next
   */
  Traffic(String name, Supplier<URI> lookup, String apiKey, Duration pause) {
    this.lookup = lookup;
    this.apiKey = apiKey;
    sender =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "traffic-" + name);
              thread.setDaemon(true);
              return thread;
            });
    sender.scheduleWithFixedDelay(this::sendOne, 0, pause.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Ten calls a second to the app process (standing for a Pod) on the port {@code port} names, null
   * while there is none, with the alarm stack's read key.
   */
  static Traffic toLocalApp(String name, Supplier<Integer> port) {
    return new Traffic(
        name,
        () -> {
          Integer now = port.get();
          return now == null ? null : URI.create("http://127.0.0.1:" + now + READINGS);
        },
        AlarmStack.READ_KEY,
        Duration.ofMillis(100));
  }

  private void sendOne() {
    try {
      if (System.nanoTime() - lastLookup >= LOOKUP_NANOS) {
        URI next = lookup.get();
        lastLookup = System.nanoTime();
        if (!Objects.equals(next, destination)) {
          destination = next;
          destinationSince = Instant.now();
        }
      }
      URI to = destination;
      if (to == null) {
        return;
      }
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(to)
                  .header("X-API-Key", apiKey)
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 500) {
        errors.incrementAndGet();
        if (firstErrorAt == null) {
          firstErrorAt = Instant.now();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // A lookup or a request failed (a connection reset while pods change): the next call goes
      // on. Thrown out of here, it would end the schedule.
    }
  }

  /** The port the Service selected at the last lookup, -1 while none. */
  int port() {
    URI to = destination;
    return to == null ? -1 : to.getPort();
  }

  /** When the destination of the last lookup was first looked up, or null. */
  Instant destinationSince() {
    return destinationSince;
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
    sender.shutdownNow();
    sender.awaitTermination(10, TimeUnit.SECONDS);
  }
}
