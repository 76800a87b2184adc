package io.appenv.operator.gitops;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.appenv.operator.Samples;
import io.appenv.operator.Tools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The repository's GitOps files, and kustomize (kubectl's, from hack/build.sh) to render them. */
public final class GitOpsFiles {
  public static final Path ROOT = Samples.crdsDir().toAbsolutePath().normalize().getParent();
  public static final Path ARGOCD = ROOT.resolve("argocd");

  /**
   * What the root Application syncs, in sync waves: the operator's Application, then the
   * ApplicationSet.
   */
  public static final Path ARGOCD_APPS = ARGOCD.resolve("apps");

  public static final Path HACK = ROOT.resolve("hack");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private GitOpsFiles() {}

  /**
   * The objects installed by hand ({@code kubectl apply -k argocd/}) and those the root Application
   * syncs.
   */
  public static List<Map<String, Object>> argoCdObjects() {
    List<Map<String, Object>> objects = new ArrayList<>(kustomize(ARGOCD));
    objects.addAll(kustomize(ARGOCD_APPS));
    return objects;
  }

  /** {@code kubectl kustomize dir}, as parsed objects. */
  public static List<Map<String, Object>> kustomize(Path dir) {
    return parseAll(Tools.run(Tools.kubectl(), "kustomize", dir.toString()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static List<Map<String, Object>> parseAll(String yaml) {
    try (MappingIterator<Map> docs = YAML.readerFor(Map.class).readValues(yaml)) {
      List<Map<String, Object>> objects = new ArrayList<>();
      docs.forEachRemaining(
          doc -> {
            if (doc != null) {
              objects.add(doc);
            }
          });
      return objects;
    } catch (IOException e) {
      throw new AssertionError("not YAML: " + yaml, e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Object at(Map<String, Object> object, String... path) {
    Object node = object;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = ((Map<String, Object>) map).get(key);
    }
    return node;
  }
}
