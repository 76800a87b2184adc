package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appenv.operator.gitops.GitOpsFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every manifest of argocd/ and argocd/apps/, rendered as Argo CD renders it, is accepted by the
 * real API server with Argo CD's own CRDs (v3.1.9, installed by LocalCluster through
 * hack/upstream-crds.sh): a server-side dry-run apply, and nothing of what was sent is pruned as an
 * unknown field. That Argo CD then syncs them is GitOpsE2E.
 */
@Tag("e2e")
class ArgoCdManifestsE2E {
  private static KubernetesClient client;

  @BeforeAll
  static void namespacesExist() {
    client = LocalCluster.client();
    // a dry run does not create a namespace, and namespaced objects need theirs
    for (String namespace : List.of("argocd", "telemetry-dev", "telemetry-prod")) {
      client
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
    }
  }

  @Test
  void theArgoCdObjectsAreAcceptedAsTheyAre() {
    List<Map<String, Object>> objects = GitOpsFiles.argoCdObjects();

    assertThat(objects)
        .extracting(o -> o.get("kind"))
        .containsExactlyInAnyOrder(
            "AppProject",
            "AppProject",
            "Application",
            "ConfigMap",
            "Application",
            "ApplicationSet");
    objects.forEach(ArgoCdManifestsE2E::acceptedUnchanged);
  }

  @Test
  void everyEnvironmentIsAcceptedAsArgoCdWouldSyncIt() {
    for (String env : List.of("dev", "prod")) {
      List<Map<String, Object>> objects =
          GitOpsFiles.kustomize(GitOpsFiles.ARGOCD.resolve("environments").resolve(env));
      assertThat(objects)
          .extracting(o -> o.get("kind"))
          .containsExactlyInAnyOrder("Namespace", "AppEnvironment");
      objects.forEach(ArgoCdManifestsE2E::acceptedUnchanged);
    }
  }

  /** Proves the check above can fail: the Argo CD schema is enforced on this API server. */
  @Test
  void anApplicationWithAWrongTypeIsRejected() {
    Map<String, Object> app =
        GitOpsFiles.kustomize(GitOpsFiles.ARGOCD_APPS).stream()
            .filter(o -> "Application".equals(o.get("kind")))
            .findFirst()
            .orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> automated =
        (Map<String, Object>) GitOpsFiles.at(app, "spec", "syncPolicy", "automated");
    automated.put("prune", "sometimes");

    assertThatThrownBy(() -> dryRun(app))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.syncPolicy.automated.prune");
  }

  private static GenericKubernetesResource dryRun(Map<String, Object> object) {
    GenericKubernetesResource resource =
        Serialization.jsonMapper().convertValue(object, GenericKubernetesResource.class);
    return client
        .resource(resource)
        .dryRun()
        .fieldManager("argocd-controller")
        .forceConflicts()
        .serverSideApply();
  }

  @SuppressWarnings("unchecked")
  private static void acceptedUnchanged(Map<String, Object> object) {
    GenericKubernetesResource accepted = dryRun(object);
    Map<String, Object> back = Serialization.jsonMapper().convertValue(accepted, Map.class);
    String name = object.get("kind") + " " + GitOpsFiles.at(object, "metadata", "name");
    for (String part : List.of("spec", "data")) {
      if (object.containsKey(part)) {
        List<String> lost = new ArrayList<>();
        missing(part, object.get(part), back.get(part), lost);
        assertThat(lost).as("fields of %s the API server dropped or changed", name).isEmpty();
      }
    }
  }

  /**
   * Collects the paths of {@code sent} that {@code kept} lacks or holds with another value
   * (defaults may be added).
   */
  private static void missing(String path, Object sent, Object kept, List<String> lost) {
    if (sent instanceof Map<?, ?> map) {
      if (!(kept instanceof Map<?, ?> keptMap)) {
        lost.add(path);
        return;
      }
      map.forEach((key, value) -> missing(path + "." + key, value, keptMap.get(key), lost));
    } else if (sent instanceof List<?> list) {
      if (!(kept instanceof List<?> keptList) || keptList.size() != list.size()) {
        lost.add(path);
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        missing(path + "[" + i + "]", list.get(i), keptList.get(i), lost);
      }
    } else if (kept == null || !String.valueOf(sent).equals(String.valueOf(kept))) {
      lost.add(path + " (sent " + sent + ", kept " + kept + ")");
    }
  }
}
