package io.appenv.operator.deploy;

import io.appenv.operator.Samples;
import io.appenv.operator.Tools;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * deploy/ as `kubectl kustomize` renders it, with the kubectl of hack/build.sh (the API server's
 * version).
 */
public final class DeployManifests {
  static final Path ROOT = Samples.crdsDir().resolveSibling("deploy").toAbsolutePath().normalize();
  private static List<HasMetadata> rendered;

  private DeployManifests() {}

  /**
   * Every rendered object, typed where fabric8 knows the kind. A missing kubectl fails: it is never
   * skipped.
   */
  public static synchronized List<HasMetadata> render() {
    if (rendered == null) {
      String yaml = Tools.run(Tools.kubectl(), "kustomize", ROOT.toString());
      Object parsed =
          Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
      rendered = ((List<?>) parsed).stream().map(HasMetadata.class::cast).toList();
    }
    return rendered;
  }

  /** The one rendered object of this kind, as that type. */
  public static <T extends HasMetadata> T one(Class<T> type, String kind) {
    List<HasMetadata> matching = render().stream().filter(o -> kind.equals(o.getKind())).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + kind + " in deploy/, found " + matching.size());
    }
    return Serialization.jsonMapper().convertValue(matching.get(0), type);
  }
}
