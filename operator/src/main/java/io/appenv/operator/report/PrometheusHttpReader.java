package io.appenv.operator.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Prometheus' HTTP API: an instant query at a time, its first sample's value (NaN as none). */
public class PrometheusHttpReader implements ReleasePerformance.Reader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String baseUrl;
  private final HttpClient http;

  public PrometheusHttpReader(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  }

  @Override
  public Optional<Double> query(String promql, Instant at) throws Exception {
    URI uri =
        URI.create(
            baseUrl
                + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time="
                + at.getEpochSecond());
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "Prometheus answered " + response.statusCode() + " to " + promql);
    }
    JsonNode result = JSON.readTree(response.body()).path("data").path("result");
    if (!result.isArray() || result.isEmpty()) {
      return Optional.empty();
    }
    double value = Double.parseDouble(result.get(0).path("value").get(1).asText());
    return Double.isNaN(value) || Double.isInfinite(value) ? Optional.empty() : Optional.of(value);
  }
}
