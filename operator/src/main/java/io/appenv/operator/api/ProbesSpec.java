package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import lombok.Data;

@Data
public class ProbesSpec {
  public static final String DEFAULT_READINESS_PATH = "/actuator/health/readiness";
  public static final String DEFAULT_LIVENESS_PATH = "/actuator/health/liveness";

  @Pattern(Patterns.HTTP_PATH)
  @Default(DEFAULT_READINESS_PATH)
  @JsonPropertyDescription("HTTP path answering 200 when the app can take traffic.")
  private String readinessPath = DEFAULT_READINESS_PATH;

  @Pattern(Patterns.HTTP_PATH)
  @Default(DEFAULT_LIVENESS_PATH)
  @JsonPropertyDescription(
      "HTTP path answering 200 while the process is healthy; failures restart the container.")
  private String livenessPath = DEFAULT_LIVENESS_PATH;

  @Min(0)
  @Max(600)
  @Default("0")
  @JsonPropertyDescription(
      "Seconds to wait before the first probe. The app then has five minutes to answer its liveness path (a startup probe) before liveness and readiness probes count.")
  private Integer initialDelaySeconds = 0;
}
