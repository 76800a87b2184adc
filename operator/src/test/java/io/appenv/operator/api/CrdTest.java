package io.appenv.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.operator.Samples;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD is what the build generates, and every field explains itself to `kubectl
 * explain`.
 */
class CrdTest {
  static final String CRD_FILE = "appenvironments.platform.appenv.io.yaml";

  private static Path generated() {
    return Path.of(
        System.getProperty(
            "appenv.generated.crd",
            "target/classes/META-INF/fabric8/appenvironments.platform.appenv.io-v1.yml"));
  }

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    Path committed = Samples.crdsDir().resolve(CRD_FILE);

    assertThat(committed).as("crds/ is missing the CRD: run `make crds`").exists();
    assertThat(Files.readString(committed))
        .as(
            "crds/%s differs from the generated CRD: run `make crds` and commit the result",
            CRD_FILE)
        .isEqualTo(Files.readString(generated()));
  }

  @Test
  void everyFieldHasADescription() throws IOException {
    JsonNode schema =
        Serialization.yamlMapper()
            .readTree(generated().toFile())
            .at("/spec/versions/0/schema/openAPIV3Schema");
    List<String> undescribed = new ArrayList<>();

    collectUndescribed(schema.get("properties").get("spec"), ".spec", undescribed);
    collectUndescribed(schema.get("properties").get("status"), ".status", undescribed);

    assertThat(undescribed).as("fields without a description").isEmpty();
  }

  @Test
  void printerColumnsShowEnvironmentImageColourPhaseReadyAndAge() throws IOException {
    JsonNode columns =
        Serialization.yamlMapper()
            .readTree(generated().toFile())
            .at("/spec/versions/0/additionalPrinterColumns");
    List<String> names = new ArrayList<>();
    columns.forEach(c -> names.add(c.get("name").asText()));

    assertThat(names)
        .containsExactlyInAnyOrder("Environment", "Image", "Color", "Phase", "Ready", "Age");
  }

  private static void collectUndescribed(JsonNode node, String path, List<String> undescribed) {
    if (node == null) {
      return;
    }
    if (!node.hasNonNull("description") || node.get("description").asText().isBlank()) {
      undescribed.add(path);
    }
    JsonNode properties = node.get("properties");
    if (properties != null) {
      for (Map.Entry<String, JsonNode> field : properties.properties()) {
        collectUndescribed(field.getValue(), path + "." + field.getKey(), undescribed);
      }
    }
    JsonNode items = node.get("items");
    if (items != null && items.has("properties")) {
      JsonNode itemProperties = items.get("properties");
      for (Map.Entry<String, JsonNode> field : itemProperties.properties()) {
        collectUndescribed(field.getValue(), path + "[]." + field.getKey(), undescribed);
      }
    }
  }
}
