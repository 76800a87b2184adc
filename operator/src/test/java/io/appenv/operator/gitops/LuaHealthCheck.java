package io.appenv.operator.gitops;

import io.appenv.operator.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs argocd/health/appenvironment.lua the way Argo CD does (the object as the global {@code obj},
 * the script's return value is the health) with Debian's lua5.1, Argo CD's Lua version (gopher-lua
 * is 5.1). A missing lua5.1 fails the test with the command that installs it: these tests never
 * skip.
 */
final class LuaHealthCheck {
  static final Path SCRIPT =
      Samples.crdsDir()
          .resolveSibling("argocd")
          .resolve("health/appenvironment.lua")
          .toAbsolutePath()
          .normalize();

  record Health(String status, String message) {}

  private LuaHealthCheck() {}

  static Health of(Map<String, Object> object) throws IOException, InterruptedException {
    Path driver = Files.createTempFile("health-driver", ".lua");
    try {
      Files.writeString(
          driver,
          "obj = "
              + toLua(object)
              + "\n"
              + "local hs = dofile("
              + quote(SCRIPT.toString())
              + ")\n"
              + "io.write(tostring(hs.status), '\\n', tostring(hs.message))\n");
      Process lua;
      try {
        lua = new ProcessBuilder("lua5.1", driver.toString()).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new AssertionError(
            "lua5.1 is not installed: run `make deps` (apt-get install lua5.1)", e);
      }
      String output = new String(lua.getInputStream().readAllBytes());
      if (!lua.waitFor(30, TimeUnit.SECONDS) || lua.exitValue() != 0) {
        throw new AssertionError("lua5.1 failed: " + output);
      }
      String[] lines = output.split("\n", 2);
      return new Health(lines[0], lines.length > 1 ? lines[1] : null);
    } finally {
      Files.deleteIfExists(driver);
    }
  }

  /**
   * A Lua table literal of parsed YAML/JSON: maps become keyed tables, lists 1-based arrays, null
   * nothing.
   */
  static String toLua(Object value) {
    if (value instanceof Map<?, ?> map) {
      StringBuilder out = new StringBuilder("{");
      map.forEach(
          (key, item) -> {
            if (item != null) {
              out.append('[')
                  .append(quote(key.toString()))
                  .append("]=")
                  .append(toLua(item))
                  .append(',');
            }
          });
      return out.append('}').toString();
    }
    if (value instanceof List<?> list) {
      StringBuilder out = new StringBuilder("{");
      list.forEach(item -> out.append(toLua(item)).append(','));
      return out.append('}').toString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return quote(String.valueOf(value));
  }

  /** A Lua string literal; %q-style escaping of backslash, quote and control characters. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append('\\').append((int) c);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
