package io.appenv.telemetry.security;

import io.appenv.telemetry.TelemetryProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The keys allowed in, known only by their SHA-256 hashes (from TELEMETRY_API_KEYS, e.g. a Secret:
 * {@code <sha256hex>:ingest,<sha256hex>:read}), so the configuration never holds a usable key. A
 * malformed entry stops startup rather than silently locking a client out.
 */
@Component
public class ApiKeyRegistry {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final Map<String, Set<ApiRole>> rolesByHash;

  @Autowired
  public ApiKeyRegistry(TelemetryProperties properties) {
    this(properties.apiKeys());
  }

  ApiKeyRegistry(String configuration) {
    this.rolesByHash = parse(configuration);
  }

  /** The roles of the presented key; empty when the key is unknown. */
  public Set<ApiRole> rolesOf(String presentedKey) {
    return rolesByHash.getOrDefault(sha256Hex(presentedKey), Set.of());
  }

  public boolean isEmpty() {
    return rolesByHash.isEmpty();
  }

  public static String sha256Hex(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static Map<String, Set<ApiRole>> parse(String configuration) {
    Map<String, Set<ApiRole>> roles = new HashMap<>();
    for (String entry : configuration.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.strip().split(":");
      String hash = parts[0].toLowerCase(Locale.ROOT);
      if (parts.length != 2 || !SHA256_HEX.matcher(hash).matches()) {
        throw new IllegalArgumentException(
            "TELEMETRY_API_KEYS entries must be <sha256hex>:<ingest|read>, got '"
                + abbreviate(entry)
                + "'");
      }
      roles.computeIfAbsent(hash, h -> EnumSet.noneOf(ApiRole.class)).add(parseRole(parts[1]));
    }
    return Map.copyOf(roles);
  }

  private static ApiRole parseRole(String text) {
    try {
      return ApiRole.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown API key role '" + text + "', expected ingest or read");
    }
  }

  // Never echo a whole entry: someone may have pasted a raw key by mistake.
  private static String abbreviate(String entry) {
    String trimmed = entry.strip();
    return trimmed.length() <= 8 ? trimmed : trimmed.substring(0, 8) + "...";
  }
}
