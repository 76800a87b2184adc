package io.appenv.operator.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appenv.operator.Samples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Grafana dashboards of deploy/monitoring/dashboards/ as PromQL: every panel target's
 * expression and the selector of every label_values(..) variable query, with Grafana's variables
 * replaced by values Prometheus accepts. Shared by DashboardsTest (promtool) and the end-to-end
 * test that asks a real Prometheus whether every metric named here exists.
 */
public final class Dashboards {
  /** Grafana's built-in interval variables, as a duration a range selector accepts. */
  private static final Map<String, String> BUILT_INS =
      Map.of("__rate_interval", "5m", "__interval", "1m", "__range", "1d");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*)\\)\\s*$", Pattern.DOTALL);
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "and",
          "or",
          "unless",
          "inf",
          "nan",
          "atan2");

  private Dashboards() {}

  public static Path monitoringDir() {
    return Samples.crdsDir().toAbsolutePath().normalize().getParent().resolve("deploy/monitoring");
  }

  /**
   * The recording rules of deploy/monitoring/recording-rules.yaml (a PrometheusRule) as a plain
   * Prometheus rule file: its spec, written to a temporary file, for promtool and a Prometheus
   * without the operator.
   */
  public static Path recordingRuleFile() {
    try {
      Map<?, ?> rule =
          new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
              .readValue(monitoringDir().resolve("recording-rules.yaml").toFile(), Map.class);
      Path file = Files.createTempFile("appenv-recording-rules", ".yaml");
      file.toFile().deleteOnExit();
      new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .writeValue(file.toFile(), rule.get("spec"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Path> files() {
    try (Stream<Path> files = Files.list(monitoringDir().resolve("dashboards"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode read(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every expression of every dashboard, variables substituted, keyed by "file panel-or-variable".
   */
  public static Map<String, String> expressions() {
    Map<String, String> all = new LinkedHashMap<>();
    for (Path file : files()) {
      rawExpressions(read(file))
          .forEach((where, expr) -> all.put(file.getFileName() + " " + where, substitute(expr)));
    }
    return all;
  }

  /** The metric names (recording rules' included) that the dashboards select. */
  public static Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    expressions().values().forEach(expr -> names.addAll(metricNames(expr)));
    return names;
  }

  /**
   * Expressions as written in one dashboard: panel targets (rows included) and label_values
   * selectors.
   */
  static Map<String, String> rawExpressions(JsonNode dashboard) {
    Map<String, String> found = new LinkedHashMap<>();
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(panels::add);
    dashboard.path("panels").forEach(row -> row.path("panels").forEach(panels::add));
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          found.put(
              "panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
              target.get("expr").asText());
        }
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      JsonNode query = variable.path("query");
      String text = query.isObject() ? query.path("query").asText() : query.asText();
      if ("query".equals(variable.path("type").asText())) {
        String selector = labelValuesSelector(text);
        if (selector != null) {
          found.put("variable '" + variable.path("name").asText() + "'", selector);
        }
      }
    }
    return found;
  }

  /**
   * The series selector of label_values(selector, label), or null for label_values(label) and
   * others.
   */
  static String labelValuesSelector(String query) {
    Matcher matcher = LABEL_VALUES.matcher(query);
    if (!matcher.matches()) {
      return null;
    }
    String args = matcher.group(1);
    int depth = 0;
    boolean quoted = false;
    int lastComma = -1;
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (c == '"' && (i == 0 || args.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && (c == '{' || c == '(')) {
        depth++;
      } else if (!quoted && (c == '}' || c == ')')) {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        lastComma = i;
      }
    }
    return lastComma < 0 ? null : args.substring(0, lastComma).trim();
  }

  /**
   * Grafana variables replaced: interval variables by a duration, the dashboard's own by their
   * name.
   */
  static String substitute(String expr) {
    return VARIABLE
        .matcher(expr)
        .replaceAll(
            m -> {
              String name = m.group(1) != null ? m.group(1) : m.group(2);
              return Matcher.quoteReplacement(BUILT_INS.getOrDefault(name, name));
            });
  }

  /**
   * Metric names in one PromQL expression: identifiers left once strings, label matchers, ranges,
   * grouping clauses and offsets are cut out, that are neither called (functions, aggregations) nor
   * keywords.
   */
  static Set<String> metricNames(String expr) {
    String bare =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", " ")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^\\]]*]", " ")
            .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\boffset\\s+-?\\w+|@\\s*\\S+", " ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = IDENTIFIER.matcher(bare);
    while (matcher.find()) {
      String word = matcher.group();
      boolean called = bare.substring(matcher.end()).matches("(?s)\\s*\\(.*");
      if (!called && !KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }
}
