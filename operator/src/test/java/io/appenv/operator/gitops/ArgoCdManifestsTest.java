package io.appenv.operator.gitops;

import static io.appenv.operator.gitops.GitOpsFiles.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import io.appenv.operator.Samples;
import io.appenv.operator.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * argocd/ without a cluster: the argocd-cm health check is the Lua file, the environment folders
 * are the samples plus what the release workflow writes, and the AppProject allows everything they
 * hold. (That the API server accepts them is ArgoCdManifestsE2E.)
 */
class ArgoCdManifestsTest {
  private static final String HEALTH_KEY =
      "resource.customizations.health.platform.appenv.io_AppEnvironment";
  private static final String APPLICATION_HEALTH_KEY =
      "resource.customizations.health.argoproj.io_Application";
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "CustomResourceDefinition",
          "ClusterRole",
          "ClusterRoleBinding",
          "PriorityClass",
          "ValidatingWebhookConfiguration",
          "MutatingWebhookConfiguration");
  private static final String DIGEST =
      "ghcr.io/appenv/telemetry@sha256:" + "0123456789abcdef".repeat(4);

  private static Map<String, Object> rendered(String kind, String name) {
    return GitOpsFiles.argoCdObjects().stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(at(o, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("argocd/ renders no " + kind + " " + name));
  }

  private static List<String> environments() throws IOException {
    try (Stream<Path> dirs = Files.list(GitOpsFiles.ARGOCD.resolve("environments"))) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void argocdCmHealthCheckIsGeneratedFromTheLuaFile() throws IOException {
    Map<String, Object> cm = rendered("ConfigMap", "argocd-cm");

    assertThat(at(cm, "metadata", "namespace")).isEqualTo("argocd");
    assertThat(at(cm, "data", HEALTH_KEY)).isEqualTo(Files.readString(LuaHealthCheck.SCRIPT));
    assertThat(at(cm, "data", APPLICATION_HEALTH_KEY))
        .isEqualTo(Files.readString(GitOpsFiles.ARGOCD.resolve("health/application.lua")));
  }

  /**
   * Installed by hand: the projects, argocd-cm and the root; everything else comes from git through
   * it.
   */
  @Test
  void theRootApplicationSyncsTheOperatorBeforeTheEnvironments() {
    assertThat(GitOpsFiles.kustomize(GitOpsFiles.ARGOCD))
        .extracting(o -> o.get("kind") + " " + at(o, "metadata", "name"))
        .containsExactlyInAnyOrder(
            "AppProject appenv",
            "AppProject appenv-bootstrap",
            "Application appenv",
            "ConfigMap argocd-cm");
    Map<String, Object> root = rendered("Application", "appenv");
    assertThat(at(root, "spec", "source", "path")).isEqualTo("argocd/apps");
    assertThat(at(root, "spec", "project")).isEqualTo("appenv-bootstrap");

    Map<String, Object> operator = rendered("Application", "appenv-operator");
    Map<String, Object> environments = rendered("ApplicationSet", "appenv-environments");
    assertThat(Integer.parseInt(wave(operator))).isLessThan(Integer.parseInt(wave(environments)));
    assertAllowed(rendered("AppProject", "appenv-bootstrap"), operator);
    assertAllowed(rendered("AppProject", "appenv-bootstrap"), environments);
  }

  /**
   * The bootstrap project may write Applications into argocd and nothing else; appenv may not write
   * there.
   */
  @Test
  void onlyTheBootstrapProjectReachesArgoCdsNamespace() {
    Map<String, Object> bootstrap = rendered("AppProject", "appenv-bootstrap");
    assertThat(destinations(bootstrap)).containsExactly("argocd");
    assertThat(at(bootstrap, "spec", "clusterResourceWhitelist")).asInstanceOf(LIST).isEmpty();
    assertThat(at(bootstrap, "spec", "namespaceResourceWhitelist")).asInstanceOf(LIST).hasSize(2);
    assertThat(destinations(rendered("AppProject", "appenv"))).doesNotContain("argocd");
  }

  private static String wave(Map<String, Object> object) {
    return String.valueOf(at(object, "metadata", "annotations", "argocd.argoproj.io/sync-wave"));
  }

  @Test
  void everyEnvironmentFolderHoldsItsSampleUnchanged() throws IOException {
    assertThat(environments()).containsExactly("dev", "prod");
    for (String env : environments()) {
      assertThat(
              GitOpsFiles.ARGOCD.resolve("environments").resolve(env).resolve("environment.yaml"))
          .as(
              "argocd/environments/%s/environment.yaml must stay a copy of samples/%s.yaml",
              env, env)
          .hasSameTextualContentAs(Samples.samplesDir().resolve(env + ".yaml"));
    }
  }

  @Test
  void setReleaseChangesOnlyTheImageAndTheCommitTimeOfTheRenderedEnvironment(@TempDir Path tmp)
      throws IOException {
    Path dev = copy(GitOpsFiles.ARGOCD.resolve("environments/dev"), tmp.resolve("dev"));

    Tools.run(
        "bash",
        GitOpsFiles.HACK.resolve("set-release.sh").toString(),
        dev.toString(),
        DIGEST,
        "2026-11-26T10:00:00Z");

    Map<String, Object> env = appEnvironment(GitOpsFiles.kustomize(dev));
    Map<String, Object> sample =
        appEnvironment(
            GitOpsFiles.parseAll(Files.readString(Samples.samplesDir().resolve("dev.yaml"))));
    assertThat(at(env, "spec", "app", "image")).isEqualTo(DIGEST);
    assertThat(at(env, "metadata", "annotations", "platform.appenv.io/commit-timestamp"))
        .isEqualTo("2026-11-26T10:00:00Z");
    withoutReleaseFields(env);
    withoutReleaseFields(sample);
    assertThat(env).isEqualTo(sample);
  }

  @Test
  void setReleaseRefusesTagsAndTimesThatAreNotRfc3339(@TempDir Path tmp) throws IOException {
    Path dev = copy(GitOpsFiles.ARGOCD.resolve("environments/dev"), tmp.resolve("dev"));
    String script = GitOpsFiles.HACK.resolve("set-release.sh").toString();

    assertThatThrownBy(
            () ->
                Tools.run(
                    "bash",
                    script,
                    dev.toString(),
                    "ghcr.io/appenv/telemetry:0.2.0",
                    "2026-11-26T10:00:00Z"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> Tools.run("bash", script, dev.toString(), DIGEST, "26 Nov 2026"))
        .isInstanceOf(AssertionError.class);
    assertThat(dev.resolve("release.yaml"))
        .hasSameTextualContentAs(GitOpsFiles.ARGOCD.resolve("environments/dev/release.yaml"));
  }

  @Test
  void theProjectAllowsEveryObjectOfEveryEnvironment() throws IOException {
    Map<String, Object> project = rendered("AppProject", "appenv");
    for (String env : environments()) {
      for (Map<String, Object> object :
          GitOpsFiles.kustomize(GitOpsFiles.ARGOCD.resolve("environments").resolve(env))) {
        assertAllowed(project, object);
      }
      // the ApplicationSet's destination namespace for this folder
      assertThat(destinations(project)).contains("telemetry-" + env);
    }
  }

  /** The project must allow every object of the operator install in deploy/. */
  @Test
  void theProjectAllowsTheOperatorInstallTheOperatorApplicationSyncs() {
    Map<String, Object> app = rendered("Application", "appenv-operator");
    assertThat(at(app, "spec", "source", "path")).isEqualTo("deploy");
    assertThat(at(app, "spec", "destination", "namespace")).isEqualTo("appenv-system");
    assertThat(destinations(rendered("AppProject", "appenv"))).contains("appenv-system");
    Path deploy = GitOpsFiles.ROOT.resolve("deploy");
    assertThat(deploy).isDirectory();
    Map<String, Object> project = rendered("AppProject", "appenv");
    GitOpsFiles.kustomize(deploy).forEach(object -> assertAllowed(project, object));
  }

  /**
   * What Argo CD makes of it is GitOpsE2E's: there, dev reverts a hand edit and prod reports it.
   */
  @Test
  void devPrunesAndSelfHealsProdDoesNeither() {
    Map<String, Object> set = rendered("ApplicationSet", "appenv-environments");
    assertThat(at(set, "spec", "template", "spec", "syncPolicy", "automated"))
        .isEqualTo(Map.of("prune", false, "selfHeal", false));
    assertThat((String) at(set, "spec", "templatePatch"))
        .contains(
            "prune: {{ eq .path.basename \"dev\" }}", "selfHeal: {{ eq .path.basename \"dev\" }}");
    assertThat(at(set, "spec", "generators")).asString().contains("argocd/environments/*");
  }

  @SuppressWarnings("unchecked")
  private static void assertAllowed(Map<String, Object> project, Map<String, Object> object) {
    String apiVersion = (String) object.get("apiVersion");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String kind = (String) object.get("kind");
    String namespace = (String) at(object, "metadata", "namespace");
    String list =
        CLUSTER_SCOPED.contains(kind) ? "clusterResourceWhitelist" : "namespaceResourceWhitelist";
    List<Map<String, Object>> allowed = (List<Map<String, Object>>) at(project, "spec", list);
    assertThat(allowed)
        .as("%s %s/%s in project %s", list, group, kind, list)
        .anyMatch(a -> group.equals(a.get("group")) && kind.equals(a.get("kind")));
    if (namespace != null) {
      assertThat(destinations(project))
          .as("namespace of %s %s", kind, at(object, "metadata", "name"))
          .contains(namespace);
    }
  }

  @SuppressWarnings("unchecked")
  private static Set<String> destinations(Map<String, Object> project) {
    return ((List<Map<String, Object>>) at(project, "spec", "destinations"))
        .stream()
            .peek(d -> assertThat(d.get("server")).isEqualTo("https://kubernetes.default.svc"))
            .map(d -> (String) d.get("namespace"))
            .collect(Collectors.toSet());
  }

  private static Map<String, Object> appEnvironment(List<Map<String, Object>> objects) {
    return objects.stream()
        .filter(o -> "AppEnvironment".equals(o.get("kind")))
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static void withoutReleaseFields(Map<String, Object> env) {
    ((Map<String, Object>) at(env, "spec", "app")).remove("image");
    Map<String, Object> annotations = (Map<String, Object>) at(env, "metadata", "annotations");
    if (annotations != null) {
      annotations.remove("platform.appenv.io/commit-timestamp");
      if (annotations.isEmpty()) {
        ((Map<String, Object>) env.get("metadata")).remove("annotations");
      }
    }
  }

  private static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
    return to;
  }
}
