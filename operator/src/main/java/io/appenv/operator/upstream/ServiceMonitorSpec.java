package io.appenv.operator.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceMonitorSpec {
  private LabelSelector selector;
  private NamespaceSelector namespaceSelector;
  private List<Endpoint> endpoints;

  /** Pod labels copied onto the scraped series (as platform_appenv_io_color, ...). */
  private List<String> podTargetLabels;

  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NamespaceSelector {
    private List<String> matchNames;
  }

  @Data
  @NoArgsConstructor
  @AllArgsConstructor
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Endpoint {
    private String port;
    private String path;
    private String interval;
  }
}
