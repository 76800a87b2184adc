package io.appenv.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactObjectsTest {
  private static final KubernetesSerialization DEFAULT = new KubernetesSerialization();

  private static String deployment(String namespace) {
    return DEFAULT.asJson(
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("app-blue")
            .withNamespace(namespace)
            .withLabels(Map.of("app.kubernetes.io/managed-by", "appenv-operator"))
            .withAnnotations(Map.of("platform.appenv.io/release", "v1"))
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("ghcr.io/appenv/telemetry:1.4.2")
            .withArgs("--server.port=8080", "--spring.profiles.active=prod")
            .addNewEnv()
            .withName("DATABASE_URL")
            .withValue("jdbc:postgresql://db:5432/app")
            .endEnv()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
  }

  @Test
  void theStringsTwoObjectsRepeatAreOneCopy() {
    KubernetesSerialization interned = CompactObjects.kubernetesSerialization();

    Deployment team1 = interned.unmarshal(deployment("team-1"), Deployment.class);
    Deployment team2 = interned.unmarshal(deployment("team-2"), Deployment.class);

    assertThat(team2.getMetadata().getName()).isSameAs(team1.getMetadata().getName());
    assertThat(team2.getMetadata().getLabels().get("app.kubernetes.io/managed-by"))
        .isSameAs(team1.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    assertThat(team2.getMetadata().getAnnotations().get("platform.appenv.io/release"))
        .isSameAs(team1.getMetadata().getAnnotations().get("platform.appenv.io/release"));
    var container1 = team1.getSpec().getTemplate().getSpec().getContainers().get(0);
    var container2 = team2.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container2.getImage()).isSameAs(container1.getImage());
    assertThat(container2.getArgs().get(1)).isSameAs(container1.getArgs().get(1));
    assertThat(container2.getEnv().get(0).getValue())
        .isSameAs(container1.getEnv().get(0).getValue());
    assertThat(team2.getMetadata().getNamespace()).isEqualTo("team-2");
  }

  @Test
  void objectsWithoutUnknownFieldsShareOneEmptyMapOfThem() {
    Deployment read =
        CompactObjects.kubernetesSerialization().unmarshal(deployment("team-1"), Deployment.class);

    var container = read.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(read.getMetadata().getAdditionalProperties()).isEmpty();
    assertThat(read.getMetadata().getAdditionalProperties())
        .isSameAs(read.getSpec().getAdditionalProperties())
        .isSameAs(container.getAdditionalProperties())
        .isSameAs(container.getEnv().get(0).getAdditionalProperties());
    Deployment unknownField =
        CompactObjects.kubernetesSerialization()
            .unmarshal(
                deployment("team-1").replace("\"replicas\":2", "\"replicas\":2,\"future\":true"),
                Deployment.class);
    assertThat(unknownField.getSpec().getAdditionalProperties()).containsEntry("future", true);
  }

  @Test
  void aCopyMadeWithABuilderCanStillAddUnknownFields() {
    Deployment read =
        CompactObjects.kubernetesSerialization().unmarshal(deployment("team-1"), Deployment.class);

    Deployment edited =
        new DeploymentBuilder(read)
            .editMetadata()
            .addToAdditionalProperties("future", "yes")
            .endMetadata()
            .build();

    assertThat(edited.getMetadata().getAdditionalProperties()).containsEntry("future", "yes");
    assertThat(read.getMetadata().getAdditionalProperties()).isEmpty();
  }

  @Test
  void aGenericResourceKeepsAMapItsFieldsCanBeSetIn() {
    GenericKubernetesResource read =
        CompactObjects.kubernetesSerialization()
            .unmarshal(
                "{\"apiVersion\":\"example.io/v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"a\"}}",
                GenericKubernetesResource.class);

    read.setAdditionalProperty("spec", Map.of("size", 1));

    assertThat(read.get("spec", "size").toString()).isEqualTo("1");
  }

  @Test
  void withoutItEachObjectHasItsOwnCopies() {
    Deployment team1 = DEFAULT.unmarshal(deployment("team-1"), Deployment.class);
    Deployment team2 = DEFAULT.unmarshal(deployment("team-2"), Deployment.class);

    assertThat(team2.getMetadata().getName())
        .isEqualTo(team1.getMetadata().getName())
        .isNotSameAs(team1.getMetadata().getName());
  }

  @Test
  void objectsReadTheSameAsWithTheDefaultSerialization() {
    String json = deployment("team-1");

    assertThat(CompactObjects.kubernetesSerialization().unmarshal(json, Deployment.class))
        .isEqualTo(DEFAULT.unmarshal(json, Deployment.class));
    assertThat(
            CompactObjects.kubernetesSerialization()
                .convertValue(DEFAULT.unmarshal(json, Deployment.class), Map.class))
        .isEqualTo(DEFAULT.convertValue(DEFAULT.unmarshal(json, Deployment.class), Map.class));
  }

  @Test
  void theOperatorsClientInternsWhatItReads() {
    try (KubernetesClient client = new OperatorConfiguration().kubernetesClient()) {
      KubernetesSerialization serialization = client.getKubernetesSerialization();

      Deployment team1 = serialization.unmarshal(deployment("team-1"), Deployment.class);
      Deployment team2 = serialization.unmarshal(deployment("team-2"), Deployment.class);

      assertThat(team2.getMetadata().getName()).isSameAs(team1.getMetadata().getName());
    }
  }
}
