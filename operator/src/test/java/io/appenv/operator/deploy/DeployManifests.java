package io.appenv.operator.deploy;

import io.appenv.operator.Samples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** deploy/ as `kubectl kustomize` renders it, with the kubectl of hack/build.sh (the API server's version). */
public final class DeployManifests {
  static final Path ROOT = Samples.crdsDir().resolveSibling("deploy").toAbsolutePath().normalize();
  private static final Path HACK = Samples.crdsDir().resolveSibling("hack").toAbsolutePath().normalize();
  private static List<HasMetadata> rendered;

  private DeployManifests() {}

  /** Every rendered object, typed where fabric8 knows the kind. A missing kubectl fails: it is never skipped. */
  public static synchronized List<HasMetadata> render() {
    if (rendered == null) {
      String yaml = run(kubectl(), "kustomize", ROOT.toString());
      Object parsed = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
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

  /** hack/build.sh builds kubectl once and caches it; if it cannot, the test fails with the command to run. */
  static String kubectl() {
    String binDir = run("bash", HACK.resolve("build.sh").toString(), "--print-bin-dir").trim();
    return Path.of(binDir, "kubectl").toString();
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(40, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("failed (run it by hand to see why): " + String.join(" ", command));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
