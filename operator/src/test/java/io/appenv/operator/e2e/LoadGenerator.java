package io.appenv.operator.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of API calls through a Service's cluster IP, as many clients would send them: a
 * fixed rate whatever the answers take, one TCP connection per request (so each one is routed by
 * kube-proxy anew, as a new client's would be), bounded in count. Each answer records its status
 * and the Pod that gave it ({@code X-Served-By}).
 */
final class LoadGenerator implements AutoCloseable {
  /** One request: when it was sent and answered (System.nanoTime), its status, who answered. */
  record Answer(long sentNanos, long answeredNanos, int status, String servedBy) {
    /** A refused or broken connection, a timeout or a 5xx: what a user would call a failure. */
    boolean failed() {
      return status < 0 || status >= 500;
    }

    /** blue or green, from the answering Pod's name ({@code <name>-<colour>-<hash>-<id>}). */
    String color() {
      if (servedBy == null) {
        return "";
      }
      return servedBy.contains("-blue-") ? "blue" : servedBy.contains("-green-") ? "green" : "";
    }
  }

  private final String host;
  private final int port;
  private final String request;
  private final int maxRequests;
  private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sent = new AtomicInteger();
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService clients = Executors.newFixedThreadPool(32);

  /**
   * @param perSecond requests started each second, whether earlier ones answered or not
   * @param maxRequests the stream stops by itself after this many
   */
  LoadGenerator(String host, int port, String path, String apiKey, int perSecond, int maxRequests) {
    this.host = host;
    this.port = port;
    this.maxRequests = maxRequests;
    this.request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nX-API-Key: "
            + apiKey
            + "\r\nConnection: close\r\n\r\n";
    clock.scheduleAtFixedRate(this::sendOne, 0, 1_000_000_000L / perSecond, TimeUnit.NANOSECONDS);
  }

  private void sendOne() {
    if (sent.incrementAndGet() > maxRequests) {
      clock.shutdown();
      return;
    }
    clients.execute(
        () -> {
          long start = System.nanoTime();
          int status = -1;
          String servedBy = null;
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            status = Integer.parseInt(statusLine.split(" ")[1]);
            for (String line = in.readLine();
                line != null && !line.isEmpty();
                line = in.readLine()) {
              if (line.toLowerCase(Locale.ROOT).startsWith("x-served-by:")) {
                servedBy = line.substring(line.indexOf(':') + 1).trim();
              }
            }
            while (in.read() >= 0) {
              // the body, to the end of the connection
            }
          } catch (IOException | RuntimeException e) {
            status = -1;
          }
          answers.add(new Answer(start, System.nanoTime(), status, servedBy));
        });
  }

  /** How many requests sent at or after {@code sentNanos} (System.nanoTime) have their answer. */
  long answeredSince(long sentNanos) {
    synchronized (answers) {
      return answers.stream().filter(a -> a.sentNanos() >= sentNanos).count();
    }
  }

  /** Stops sending, waits for the answers still due, and returns every answer in sending order. */
  List<Answer> stop() throws InterruptedException {
    clock.shutdownNow();
    clients.shutdown();
    clients.awaitTermination(30, TimeUnit.SECONDS);
    synchronized (answers) {
      List<Answer> sorted = new ArrayList<>(answers);
      sorted.sort((a, b) -> Long.compare(a.sentNanos(), b.sentNanos()));
      return sorted;
    }
  }

  @Override
  public void close() throws InterruptedException {
    clock.shutdownNow();
    clients.shutdownNow();
  }
}
