package io.appenv.telemetry.support;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Enumeration;

/**
 * A CSV import generated on the fly, one line at a time, so a large file never exists in memory or
 * on disk on the client side either.
 */
public final class GeneratedCsv {

  public static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private GeneratedCsv() {}

  /**
   * {@code rows} readings of metric temp, one per second from {@link #START}; the row at index
   * {@code brokenRow} (or none if negative) has a non-numeric value.
   */
  public static InputStream stream(String device, int rows, int brokenRow) {
    Enumeration<InputStream> lines =
        new Enumeration<>() {
          private int next = -1;

          @Override
          public boolean hasMoreElements() {
            return next < rows;
          }

          @Override
          public InputStream nextElement() {
            String line =
                next < 0 ? "device_id,timestamp,metric,value\n" : row(device, next, brokenRow);
            next++;
            return new ByteArrayInputStream(line.getBytes(StandardCharsets.US_ASCII));
          }
        };
    return new SequenceInputStream(lines);
  }

  private static String row(String device, int i, int brokenRow) {
    String value = i == brokenRow ? "warm" : Double.toString(20 + (i % 100) / 10.0);
    return device + "," + START.plusSeconds(i) + ",temp," + value + "\n";
  }
}
