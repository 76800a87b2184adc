package io.appenv.telemetry.query;

import io.appenv.telemetry.api.InvalidRequestException;
import io.appenv.telemetry.query.ReadingQueries.Bucket;
import io.appenv.telemetry.query.ReadingQueries.Device;
import io.appenv.telemetry.query.ReadingQueries.StoredReading;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read side of the API: devices, a device's readings page by page, and windowed aggregates. */
@RestController
@RequestMapping("/api/v1/devices")
public class ConsumptionController {

  static final int MAX_PAGE_SIZE = 10_000;

  /** {@code next} is null on the last page. */
  public record DevicePage(List<Device> devices, String next) {}

  /** {@code nextCursor} is null on the last page. */
  public record ReadingPage(List<StoredReading> readings, String nextCursor) {}

  public record Aggregates(String deviceId, String metric, String window, List<Bucket> buckets) {}

  private final ReadingQueries queries;

  public ConsumptionController(ReadingQueries queries) {
    this.queries = queries;
  }

  @GetMapping
  public DevicePage devices(
      @RequestParam(defaultValue = "") String after,
      @RequestParam(defaultValue = "1000") int limit) {
    List<Device> devices = queries.devices(after, checkLimit(limit));
    String next = devices.size() == limit ? devices.get(devices.size() - 1).deviceId() : null;
    return new DevicePage(devices, next);
  }

  @GetMapping("/{deviceId}/readings")
  public ReadingPage readings(
      @PathVariable String deviceId,
      @RequestParam String from,
      @RequestParam String to,
      @RequestParam(required = false) String metric,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "1000") int limit) {
    PageCursor after = cursor == null || cursor.isEmpty() ? null : PageCursor.decode(cursor);
    List<StoredReading> page =
        queries.readings(deviceId, TimeRange.parse(from, to), metric, after, checkLimit(limit));
    String next = null;
    if (page.size() == limit) {
      StoredReading last = page.get(page.size() - 1);
      next = new PageCursor(last.timestamp(), last.metric()).encode();
    }
    return new ReadingPage(page, next);
  }

  @GetMapping("/{deviceId}/aggregates")
  public Aggregates aggregates(
      @PathVariable String deviceId,
      @RequestParam String metric,
      @RequestParam String from,
      @RequestParam String to,
      @RequestParam(defaultValue = "minute") String window) {
    AggregateWindow bucketSize = AggregateWindow.parse(window);
    TimeRange range = TimeRange.parse(from, to);
    if (range.length().compareTo(bucketSize.maxRange()) > 0) {
      throw new InvalidRequestException(
          "a "
              + bucketSize.postgresUnit()
              + " window covers at most "
              + bucketSize.maxRange().toDays()
              + " days");
    }
    return new Aggregates(
        deviceId,
        metric,
        bucketSize.postgresUnit(),
        queries.aggregates(deviceId, metric, range, bucketSize));
  }

  private static int checkLimit(int limit) {
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidRequestException("'limit' must be between 1 and " + MAX_PAGE_SIZE);
    }
    return limit;
  }
}
