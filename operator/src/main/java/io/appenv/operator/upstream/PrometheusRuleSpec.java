package io.appenv.operator.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The rule groups of a PrometheusRule; the same shape as a plain Prometheus rule file. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusRuleSpec {
  private List<Group> groups;

  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "interval", "rules"})
  public static class Group {
    private String name;
    private String interval;
    private List<Rule> rules;
  }

  /** An alerting rule (alert) or a recording rule (record). */
  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"alert", "record", "expr", "for", "labels", "annotations"})
  public static class Rule {
    private String alert;
    private String record;
    private String expr;

    @JsonProperty("for")
    private String forDuration;

    private Map<String, String> labels;
    private Map<String, String> annotations;
  }
}
