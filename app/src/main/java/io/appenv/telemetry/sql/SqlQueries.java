package io.appenv.telemetry.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The SQL the API runs, read once from {@code db/queries/<name>.sql} on the classpath so the
 * statements live in reviewable files (documented in docs/data-architecture.md), never in
 * concatenated strings.
 */
@Component
public class SqlQueries {

  private final Map<Query, String> cache = new ConcurrentHashMap<>();

  public String get(Query query) {
    return cache.computeIfAbsent(query, q -> load(q.fileName()));
  }

  private static String load(String name) {
    ClassPathResource resource = new ClassPathResource("db/queries/" + name + ".sql");
    try (InputStream in = resource.getInputStream()) {
      return stripTrailingSemicolon(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("missing query file db/queries/" + name + ".sql", e);
    }
  }

  // COPY and single statements sent over JDBC must not end with a semicolon in every driver mode.
  private static String stripTrailingSemicolon(String sql) {
    String trimmed = sql.strip();
    return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
