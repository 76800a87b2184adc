package io.appenv.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

@Data
public class NetworkSpec {
  @Size(max = 50)
  @JsonPropertyDescription(
      "Sources allowed to reach the app's port . Pods of the same environment and the namespace's monitoring are always allowed; everything else is denied.")
  private List<AllowFromPeer> allowFrom = new ArrayList<>();
}
