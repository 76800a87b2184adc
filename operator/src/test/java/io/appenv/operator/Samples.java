package io.appenv.operator;

import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the files of samples/ and the generated CRD, as the build passes their paths. */
public final class Samples {
  private Samples() {}

  public static Path samplesDir() {
    return Path.of(System.getProperty("appenv.samples.dir", "../samples"));
  }

  public static Path crdsDir() {
    return Path.of(System.getProperty("appenv.crds.dir", "../crds"));
  }

  public static List<Path> files() {
    try (Stream<Path> files = Files.list(samplesDir())) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every object of a multi-document YAML file, typed where fabric8 knows the kind. */
  public static List<HasMetadata> objects(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Object parsed = Serialization.unmarshal(in);
      if (parsed instanceof List<?> list) {
        return list.stream().map(HasMetadata.class::cast).toList();
      }
      return List.of((HasMetadata) parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AppEnvironment appEnvironment(Path file) {
    return objects(file).stream()
        .filter(o -> "AppEnvironment".equals(o.getKind()))
        .map(
            o ->
                o instanceof AppEnvironment env
                    ? env
                    : Serialization.jsonMapper().convertValue(o, AppEnvironment.class))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no AppEnvironment in " + file));
  }
}
