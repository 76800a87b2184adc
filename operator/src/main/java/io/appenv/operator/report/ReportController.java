package io.appenv.operator.report;

import io.appenv.operator.OperatorProperties;
import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /reports/{namespace}/{name}?days=30&format=md|html: the release report of one environment.
 */
@RestController
public class ReportController {
  static final int MAX_DAYS = 366;
  private static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown;charset=UTF-8");
  private static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");
  private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

  /** Kubernetes object names (RFC 1123 subdomain), checked before they go into an API path. */
  private static final Pattern OBJECT_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final KubernetesClient client;
  private final Clock clock;
  private final String prometheusUrl;
  private final ReleasePerformance.Reader prometheus;

  @Autowired
  public ReportController(KubernetesClient client, Clock clock, OperatorProperties properties) {
    this(
        client,
        clock,
        properties.monitoring().prometheusUrl(),
        properties.monitoring().prometheusUrl().isBlank()
            ? null
            : new PrometheusHttpReader(properties.monitoring().prometheusUrl()));
  }

  /**
   * @param prometheus where each release's error rate and latency are read; null: nowhere
   */
  ReportController(
      KubernetesClient client,
      Clock clock,
      String prometheusUrl,
      ReleasePerformance.Reader prometheus) {
    this.client = client;
    this.clock = clock;
    this.prometheusUrl = prometheusUrl;
    this.prometheus = prometheus;
  }

  @GetMapping("/reports/{namespace}/{name}")
  public ResponseEntity<String> report(
      @PathVariable String namespace,
      @PathVariable String name,
      @RequestParam(defaultValue = "30") String days,
      @RequestParam(defaultValue = "md") String format) {
    if (!OBJECT_NAME.matcher(namespace).matches() || !OBJECT_NAME.matcher(name).matches()) {
      return error(HttpStatus.BAD_REQUEST, "namespace and name must be Kubernetes object names");
    }
    Integer period = days.matches("\\d{1,4}") ? Integer.valueOf(days) : null;
    if (period == null || period < 1 || period > MAX_DAYS) {
      return error(HttpStatus.BAD_REQUEST, "days must be a whole number from 1 to " + MAX_DAYS);
    }
    if (!format.equals("md") && !format.equals("html")) {
      return error(HttpStatus.BAD_REQUEST, "format must be md or html");
    }
    AppEnvironment env =
        client.resources(AppEnvironment.class).inNamespace(namespace).withName(name).get();
    if (env == null) {
      return error(HttpStatus.NOT_FOUND, "no AppEnvironment " + namespace + "/" + name);
    }
    ReleaseReport report =
        withPerformance(ReleaseReport.of(env, Duration.ofDays(period), clock), env);
    return format.equals("html")
        ? ResponseEntity.ok().contentType(HTML).body(HtmlReport.render(report))
        : ResponseEntity.ok().contentType(MARKDOWN).body(MarkdownReport.render(report));
  }

  /**
   * The releases' error rates and p95 from Prometheus when one is set and answers; the report says
   * which.
   */
  private ReleaseReport withPerformance(ReleaseReport report, AppEnvironment env) {
    if (prometheus == null) {
      return report.withPerformance(
          java.util.Map.of(),
          "Error rates and latencies: no Prometheus is set"
              + " (the operator setting APPENV_MONITORING_PROMETHEUSURL).");
    }
    try {
      return report.withPerformance(
          ReleasePerformance.read(env, clock.instant(), prometheus),
          "Error rates (5xx"
              + " among API answers) and p95 latencies from Prometheus at "
              + prometheusUrl
              + ", over the time each"
              + " release served traffic.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return report.withPerformance(java.util.Map.of(), "Error rates and latencies: interrupted.");
    } catch (Exception e) {
      return report.withPerformance(
          java.util.Map.of(),
          "Error rates and latencies: Prometheus at "
              + prometheusUrl
              + " could not be read ("
              + e
              + ").");
    }
  }

  private static ResponseEntity<String> error(HttpStatus status, String reason) {
    return ResponseEntity.status(status).contentType(TEXT).body(reason + "\n");
  }
}
