package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;
import lombok.Data;

/** A source allowed to reach the app: Pods by labels (in namespaces by labels), or an IP block. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.namespaceLabels) || has(self.podLabels) || has(self.cidr)",
    message = "set namespaceLabels, podLabels or cidr")
@ValidationRule(
    value = "!has(self.cidr) || (!has(self.namespaceLabels) && !has(self.podLabels))",
    message = "cidr cannot be combined with namespaceLabels or podLabels")
public class AllowFromPeer {
  @JsonPropertyDescription(
      "Labels of the namespaces whose Pods may connect; {} means every namespace.")
  private Map<String, String> namespaceLabels;

  @JsonPropertyDescription(
      "Labels of the Pods that may connect (in this namespace, or in the namespaces of namespaceLabels).")
  private Map<String, String> podLabels;

  @Size(max = 64)
  @ValidationRule(
      value = "isCIDR(self)",
      message = "must be an IPv4 or IPv6 block in CIDR notation, e.g. 10.0.0.0/8 or 2001:db8::/32")
  @JsonPropertyDescription("IP block that may connect, e.g. 10.0.0.0/8.")
  private String cidr;
}
