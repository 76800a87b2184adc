package io.appenv.operator.report;

import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /reports/{namespace}/{name}?days=30&format=md|html: the release report of one environment. */
@RestController
public class ReportController {
  static final int MAX_DAYS = 366;
  private static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown;charset=UTF-8");
  private static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");
  private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");
  /** Kubernetes object names (RFC 1123 subdomain), checked before they go into an API path. */
  private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final KubernetesClient client;
  private final Clock clock;

  public ReportController(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @GetMapping("/reports/{namespace}/{name}")
  public ResponseEntity<String> report(@PathVariable String namespace, @PathVariable String name,
      @RequestParam(defaultValue = "30") String days, @RequestParam(defaultValue = "md") String format) {
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
    AppEnvironment env = client.resources(AppEnvironment.class).inNamespace(namespace).withName(name).get();
    if (env == null) {
      return error(HttpStatus.NOT_FOUND, "no AppEnvironment " + namespace + "/" + name);
    }
    ReleaseReport report = ReleaseReport.of(env, Duration.ofDays(period), clock);
    return format.equals("html") ? ResponseEntity.ok().contentType(HTML).body(HtmlReport.render(report))
        : ResponseEntity.ok().contentType(MARKDOWN).body(MarkdownReport.render(report));
  }

  private static ResponseEntity<String> error(HttpStatus status, String reason) {
    return ResponseEntity.status(status).contentType(TEXT).body(reason + "\n");
  }
}
