package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppSpec {
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_METRICS_PATH = "/actuator/prometheus";

  @Required
  @Size(max = 512)
  @Pattern(Patterns.IMAGE)
  @JsonPropertyDescription(
      "Container image with a tag or digest, e.g. ghcr.io/acme/telemetry:1.4.2. Each change is a new release.")
  private String image;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Number of Pods. Defaults by environment: dev 1, staging 2, prod 3.")
  private Integer replicas;

  @Min(1)
  @Max(65535)
  @Default("8080")
  @JsonPropertyDescription("Port the app listens on for HTTP, probes and metrics.")
  private Integer port = DEFAULT_PORT;

  @Size(max = 64)
  @ValidationRule(
      value = "self.all(e, self.exists_one(o, o.name == e.name))",
      message = "environment variable names must be unique")
  @JsonPropertyDescription(
      "Environment variables: a plain value or a reference to a Secret or ConfigMap key. Secrets never as literal values.")
  private List<EnvVarSpec> env = new ArrayList<>();

  @JsonPropertyDescription("CPU and memory requests and limits of the app container.")
  private ResourcesSpec resources;

  @JsonPropertyDescription("HTTP paths of the readiness and liveness probes.")
  private ProbesSpec probes;

  @Pattern(Patterns.HTTP_PATH)
  @Default(DEFAULT_METRICS_PATH)
  @JsonPropertyDescription("HTTP path where the app serves Prometheus metrics.")
  private String metricsPath = DEFAULT_METRICS_PATH;
}
