package io.appenv.telemetry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/** A plain HTTP client against the running app, so tests see exactly what a real client sees. */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;

  public ApiClient(int port) {
    this.baseUrl = "http://localhost:" + port;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public HttpResponse<String> get(String path, String apiKey) {
    return send(request(path, apiKey).GET().build());
  }

  public HttpResponse<String> postJson(String path, String apiKey, String json) {
    return post(path, apiKey, "application/json", HttpRequest.BodyPublishers.ofString(json));
  }

  public HttpResponse<String> postCsv(String apiKey, Supplier<InputStream> csv) {
    return post(
        "/api/v1/readings/import",
        apiKey,
        "text/csv",
        HttpRequest.BodyPublishers.ofInputStream(csv));
  }

  public HttpResponse<String> post(
      String path, String apiKey, String contentType, BodyPublisher body) {
    return send(request(path, apiKey).header("Content-Type", contentType).POST(body).build());
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  private HttpRequest.Builder request(String path, String apiKey) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
    if (apiKey != null) {
      builder.header("X-API-Key", apiKey);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
