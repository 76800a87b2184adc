package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.appenv.operator.OperatorTestSupport;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.appenv.operator.release.ReleaseAnnotations;
import io.appenv.operator.webhook.RollbackService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The GitOps flow with Argo CD for real: v3.1.9 built from its Go module, running beside a local
 * control plane with kwok nodes and syncing from a git server on this machine (hack/argocd-up.sh),
 * installed from argocd/ as the docs say. The operator runs in this JVM. Each step commits and
 * pushes as the release workflow or a person would, and reads what Argo CD reports: the Application
 * objects, its API and its CLI. The steps build on one another, in order, in one test.
 */
@Tag("e2e")
// Last of the e2e tier (junit-platform.properties orders classes by @Order):
// hack/prebuild.sh builds Argo CD last, after what the real-node classes need, so
// they start sooner and this class finds Argo CD built. Its kwok cluster has ports
// of its own (23xxx); the real node's stays up beside it.
@Order(Order.DEFAULT + 8)
class GitOpsE2E {
  /** Bounds for convergence, never asserted on: a sync after a push takes seconds here. */
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private static final String DEV = "telemetry-dev";
  private static final String PROD = "telemetry-prod";
  private static final String NAME = "telemetry";
  private static final String RELEASED = digest("gitops-e2e release");
  private static final String FIXED = digest("gitops-e2e fixed release");

  private static GitOpsCluster cluster;
  private static KubernetesClient client;
  private static ArgoCd argoCd;
  private static GitClone git;
  private static InProcessOperator operator;

  @BeforeAll
  static void startArgoCd() throws Exception {
    Path work = Path.of("target", "gitops-e2e").toAbsolutePath();
    cluster = GitOpsCluster.start(work.resolve("cluster"));
    client = cluster.newClient();
    argoCd = new ArgoCd(cluster, client);
    git = GitClone.of(cluster.gitUrl, work.resolve("clone"));
  }

  @AfterAll
  static void stopAll() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * The steps build on one another (each commit on the one before, each state on the last), so they
   * are one test: a failure names its step in the stack trace and stops the rest, which could only
   * fail after it.
   */
  @Test
  void gitPushesDriveArgoCdAndTheOperatorFromTheFirstSyncToARevertedRelease() throws Exception {
    theApplicationSetMakesDevAndProdOnlyAfterTheCrdAndTheOperatorAndBothSync();
    theEnvironmentsBecomeReadyAndArgoCdReportsThemHealthyThroughTheLuaCheck();
    aReleaseCommittedToDevIsSyncedAndReleasedByTheOperator();
    aMergedPullRequestPromotesTheSameDigestToProdOnceThePromotionGatePasses();
    devRevertsAHandEditWhileProdReportsItOutOfSyncAndLeavesIt();
    anAlertRollsDevBackAndArgoCdShowsItDegradedWithTheReasonAndNoDrift();
    aFixedImageCommittedNextMakesDevHealthyAgain();
    whatLeavesGitIsPrunedFromDevButNotFromProd();
    aReleaseThatCannotBeScheduledIsProgressingThenFailedAndItsRevertHealsDev();
  }

  private void theApplicationSetMakesDevAndProdOnlyAfterTheCrdAndTheOperatorAndBothSync()
      throws Exception {
    await()
        .atMost(TIMEOUT)
        .until(() -> argoCd.syncedTo(DEV, git.head()) && argoCd.syncedTo(PROD, git.head()));

    for (String app : List.of(DEV, PROD)) {
      assertThat(argoCd.application(app).getMetadata().getOwnerReferences())
          .extracting(OwnerReference::getKind, OwnerReference::getName)
          .containsExactly(tuple("ApplicationSet", "appenv-environments"));
      assertThat(argoCd.status(app).path("operationState").path("retryCount").asInt())
          .as("%s synced at its first attempt: the CRD was there", app)
          .isZero();
      assertThat(environment(app)).as("%s deployed its AppEnvironment", app).isNotNull();
    }
    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("appenvironments.platform.appenv.io")
            .get();
    assertThat(crd.getMetadata().getManagedFields())
        .as("applied by Argo CD, from deploy/")
        .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("argocd-controller"));
    Deployment deployment =
        client.apps().deployments().inNamespace("appenv-system").withName("appenv-operator").get();
    GenericKubernetesResource applicationSet =
        client
            .genericKubernetesResources("argoproj.io/v1alpha1", "ApplicationSet")
            .inNamespace("argocd")
            .withName("appenv-environments")
            .get();
    Instant operatorDeployed =
        Instant.parse(
            argoCd.status("appenv-operator").path("history").get(0).path("deployedAt").asText());
    // waves: the CRD (wave -1 of deploy/), then the operator (wave 1 of
    // deploy/); the operator's Application done and Healthy (wave 0 of the
    // root), then the ApplicationSet (wave 1), then the environments
    assertThat(created(crd)).isBeforeOrEqualTo(created(deployment));
    assertThat(operatorDeployed).isBeforeOrEqualTo(created(applicationSet));
    for (String app : List.of(DEV, PROD)) {
      assertThat(created(applicationSet)).isBeforeOrEqualTo(created(environment(app)));
    }

    // no operator runs yet: Argo CD says so through the Lua health check
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(health(DEV).path("message").asText())
                    .isEqualTo("Waiting for the appenv operator to report a status"));
    assertThat(argoCd.healthStatus(DEV)).isEqualTo("Progressing");
    assertThat(argoCd.capture("progressing", DEV, "AppEnvironment", NAME))
        .contains("Health Status:      Progressing");
  }

  private void theEnvironmentsBecomeReadyAndArgoCdReportsThemHealthyThroughTheLuaCheck()
      throws Exception {
    operator =
        new InProcessOperator(
            cluster.newClient(),
            OperatorTestSupport.leaderElection(false, "appenv-operator", "", ""));

    for (String app : List.of(DEV, PROD)) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(argoCd.healthStatus(app)).isEqualTo("Healthy");
                // the Lua check's Healthy message is the Ready condition's
                assertThat(health(app).path("message").asText())
                    .startsWith("Revision 1 (ghcr.io/appenv/telemetry:0.1.0)");
              });
      assertThat(environment(app).getStatus().getPhase()).isEqualTo(Phase.Ready);
    }
    assertThat(argoCd.capture("healthy", DEV, "AppEnvironment", NAME))
        .contains("Health Status:      Healthy", "Sync Status:        Synced to main");
  }

  private void aReleaseCommittedToDevIsSyncedAndReleasedByTheOperator() throws Exception {
    String committed = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    git.inWorkTree("bash", "hack/set-release.sh", "argocd/environments/dev", RELEASED, committed);
    String commit =
        git.commit("deploy(dev): telemetry " + RELEASED.substring(RELEASED.length() - 12));
    String pushed = git.push();

    assertThat(pushed)
        .as("the git server's hook told Argo CD")
        .contains("webhook: Argo CD told of refs/heads/main");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.syncedTo(DEV, commit)).isTrue();
              assertThat(live(DEV).activeImage()).isEqualTo(RELEASED);
              assertThat(live(DEV).phase()).isEqualTo(Phase.Ready);
              assertThat(argoCd.healthStatus(DEV)).isEqualTo("Healthy");
            });
    AppEnvironment dev = environment(DEV);
    assertThat(dev.getMetadata().getAnnotations())
        .containsEntry(ReleaseAnnotations.COMMIT_TIMESTAMP, committed);
    assertThat(dev.getStatus().getActiveColor()).isEqualTo("green");
    assertThat(environment(PROD).getSpec().getApp().getImage())
        .as("prod waits for its pull request")
        .isEqualTo("ghcr.io/appenv/telemetry:0.1.0");
  }

  private void aMergedPullRequestPromotesTheSameDigestToProdOnceThePromotionGatePasses()
      throws Exception {
    String committed =
        environment(DEV).getMetadata().getAnnotations().get(ReleaseAnnotations.COMMIT_TIMESTAMP);
    git.git("switch", "-q", "-c", "promote/prod");
    git.inWorkTree("bash", "hack/set-release.sh", "argocd/environments/prod", RELEASED, committed);
    git.commit("deploy(prod): telemetry " + RELEASED.substring(RELEASED.length() - 12));

    // the prod gate of the pull request, on the dev status this cluster wrote
    Path devJson =
        Files.writeString(
            Files.createTempFile("dev", ".json"), Serialization.asJson(environment(DEV)));
    String release = git.file("argocd/environments/prod/release.yaml").toString();
    Instant promoted =
        Instant.parse(environment(DEV).getStatus().getHistory().get(0).getPromotedAt());
    assertThat(
            gate(
                release,
                devJson.toString(),
                "--now",
                promoted.plus(Duration.ofMinutes(5)).toString()))
        .as("refused before the soak time")
        .isEqualTo(1);
    assertThat(
            gate(
                release,
                devJson.toString(),
                "--now",
                promoted.plus(Duration.ofMinutes(31)).toString()))
        .as("passes once it served 30 minutes")
        .isZero();

    git.git("switch", "-q", "main");
    git.git(
        "merge",
        "-q",
        "--no-ff",
        "promote/prod",
        "-m",
        "Merge pull request #1 from appenv/promote/prod");
    String merge = git.head();
    git.push();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.syncedTo(PROD, merge)).isTrue();
              assertThat(live(PROD).activeImage()).isEqualTo(RELEASED);
              assertThat(live(PROD).phase()).isEqualTo(Phase.Ready);
              assertThat(argoCd.healthStatus(PROD)).isEqualTo("Healthy");
            });
    assertThat(environment(PROD).getStatus().getActiveRelease().getImage())
        .isEqualTo(environment(DEV).getStatus().getActiveRelease().getImage());
  }

  private void devRevertsAHandEditWhileProdReportsItOutOfSyncAndLeavesIt() {
    // prod is synced to the newest commit, so nothing but self-heal could sync it now
    assertThat(argoCd.syncedTo(PROD, git.head())).isTrue();
    JsonNode prodBefore = argoCd.status(PROD);
    setReplicas(DEV, 3);
    setReplicas(PROD, 5);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(environment(DEV).getSpec().getApp().getReplicas())
                  .as("dev: back to git's")
                  .isEqualTo(1);
              assertThat(argoCd.syncStatus(DEV)).isEqualTo("Synced");
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(argoCd.syncStatus(PROD)).isEqualTo("OutOfSync"));
    assertThat(environment(PROD).getSpec().getApp().getReplicas())
        .as("prod: left as edited")
        .isEqualTo(5);
    assertThat(argoCd.status(PROD).path("operationState"))
        .as("prod: no sync since")
        .isEqualTo(prodBefore.path("operationState"));
    assertThat(argoCd.cli("app", "get", PROD)).contains("Sync Status:        OutOfSync from main");

    // a person decides: git wins
    argoCd.cli("app", "sync", PROD);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.syncStatus(PROD)).isEqualTo("Synced");
              assertThat(environment(PROD).getSpec().getApp().getReplicas()).isEqualTo(3);
            });
  }

  private void anAlertRollsDevBackAndArgoCdShowsItDegradedWithTheReasonAndNoDrift()
      throws Exception {
    RollbackService rollbacks = FiringAlert.rollbackService(client);
    RollbackService.Outcome outcome =
        rollbacks.handle(
            new FiringAlert("AppErrorRateHigh", DEV, NAME).alert(Instant.now(), "gitops-e2e"));
    assertThat(outcome.rolledBack()).as(outcome.reason()).isTrue();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.healthStatus(DEV)).isEqualTo("Degraded");
              assertThat(health(DEV).path("message").asText())
                  .startsWith(
                      "RolledBack: Revision 2 ("
                          + RELEASED
                          + ") was rolled back: alert AppErrorRateHigh");
            });
    assertThat(argoCd.syncStatus(DEV))
        .as("the spec is untouched: nothing to sync")
        .isEqualTo("Synced");
    assertThat(environment(DEV).getSpec().getApp().getImage()).isEqualTo(RELEASED);
    assertThat(environment(DEV).getStatus().getPhase()).isEqualTo(Phase.RolledBack);
    assertThat(argoCd.capture("rolled-back", DEV, "AppEnvironment", NAME))
        .contains("Health Status:      Degraded", "Sync Status:        Synced to main");
  }

  private void aFixedImageCommittedNextMakesDevHealthyAgain() {
    git.inWorkTree(
        "bash",
        "hack/set-release.sh",
        "argocd/environments/dev",
        FIXED,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    String commit = git.commit("deploy(dev): telemetry " + FIXED.substring(FIXED.length() - 12));
    git.push();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.syncedTo(DEV, commit)).isTrue();
              assertThat(live(DEV).activeImage()).isEqualTo(FIXED);
              assertThat(argoCd.healthStatus(DEV)).isEqualTo("Healthy");
            });
    assertThat(environment(DEV).getStatus().getRejectedImages()).containsExactly(RELEASED);
  }

  private void whatLeavesGitIsPrunedFromDevButNotFromProd() throws Exception {
    for (String env : List.of("dev", "prod")) {
      Files.writeString(
          git.file("argocd/environments/" + env + "/preview.yaml"),
          """
          apiVersion: platform.appenv.io/v1alpha1
          kind: AppEnvironment
          metadata:
            name: preview
            namespace: telemetry-%s
          spec:
            environment: dev
            app:
              image: ghcr.io/appenv/telemetry:0.1.0
            release:
              strategy: Rolling
          """
              .formatted(env));
      Path kustomization = git.file("argocd/environments/" + env + "/kustomization.yaml");
      Files.writeString(
          kustomization,
          Files.readString(kustomization)
              .replace("  - environment.yaml\n", "  - environment.yaml\n  - preview.yaml\n"));
    }
    String added = git.commit("preview environments in dev and prod");
    git.push();
    await()
        .atMost(TIMEOUT)
        .until(() -> argoCd.syncedTo(DEV, added) && argoCd.syncedTo(PROD, added));
    assertThat(preview(DEV)).isNotNull();
    assertThat(preview(PROD)).isNotNull();

    git.git("revert", "--no-edit", "HEAD");
    String removed = git.head();
    git.push();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.syncedTo(DEV, removed)).isTrue();
              assertThat(preview(DEV)).as("dev prunes").isNull();
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.status(PROD).path("sync").path("revision").asText())
                  .isEqualTo(removed);
              assertThat(argoCd.syncStatus(PROD)).isEqualTo("OutOfSync");
              assertThat(argoCd.status(PROD).path("resources"))
                  .anySatisfy(
                      r -> {
                        assertThat(r.path("name").asText()).isEqualTo("preview");
                        assertThat(r.path("requiresPruning").asBoolean()).isTrue();
                      });
            });
    assertThat(preview(PROD)).as("prod never prunes by itself").isNotNull();

    argoCd.cli("app", "sync", PROD, "--prune");
    await()
        .atMost(TIMEOUT)
        .until(() -> preview(PROD) == null && "Synced".equals(argoCd.syncStatus(PROD)));
  }

  private void aReleaseThatCannotBeScheduledIsProgressingThenFailedAndItsRevertHealsDev()
      throws Exception {
    Path file = git.file("argocd/environments/dev/environment.yaml");
    String environment = Files.readString(file);
    // 64 CPUs fit no kwok node (32 each): the new colour stays Pending until the deadline
    Files.writeString(
        file,
        environment
            .replace(
                "requests: { cpu: 100m, memory: 256Mi }",
                "requests: { cpu: \"64\", memory: 256Mi }")
            .replace("progressDeadline: 5m", "progressDeadline: 30s"));
    assertThat(Files.readString(file))
        .isNotEqualTo(environment)
        .contains("cpu: \"64\"", "progressDeadline: 30s");
    String commit = git.commit("dev: a release too big for any node");
    git.push();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.syncedTo(DEV, commit)).isTrue();
              assertThat(argoCd.healthStatus(DEV)).isEqualTo("Progressing");
              assertThat(health(DEV).path("message").asText()).startsWith("ReleaseStarting: ");
            });
    argoCd.capture("progressing-release", DEV, "AppEnvironment", NAME);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.healthStatus(DEV)).isEqualTo("Degraded");
              assertThat(health(DEV).path("message").asText()).startsWith("ReleaseFailed: ");
            });
    assertThat(argoCd.syncStatus(DEV)).isEqualTo("Synced");
    assertThat(argoCd.capture("failed", DEV, "AppEnvironment", NAME))
        .contains("Health Status:      Degraded");
    assertThat(environment(DEV).getStatus().getActiveRelease().getImage())
        .as("traffic stayed")
        .isEqualTo(FIXED);

    git.git("revert", "--no-edit", "HEAD");
    String reverted = git.head();
    git.push();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(argoCd.syncedTo(DEV, reverted)).isTrue();
              assertThat(argoCd.healthStatus(DEV)).isEqualTo("Healthy");
              assertThat(live(DEV).phase()).isEqualTo(Phase.Ready);
            });
  }

  private static AppEnvironment environment(String namespace) {
    return live(namespace).get();
  }

  private static LiveEnvironment live(String namespace) {
    return new LiveEnvironment(client, namespace, NAME);
  }

  private static AppEnvironment preview(String namespace) {
    return client.resources(AppEnvironment.class).inNamespace(namespace).withName("preview").get();
  }

  private static JsonNode health(String application) throws Exception {
    return argoCd.resourceHealth(application, "AppEnvironment", NAME);
  }

  /** A hand edit, as `kubectl patch --type merge` makes it. */
  private static void setReplicas(String namespace, int replicas) {
    client
        .resources(AppEnvironment.class)
        .inNamespace(namespace)
        .withName(NAME)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"app\":{\"replicas\":" + replicas + "}}}");
  }

  private static Instant created(HasMetadata object) {
    return Instant.parse(object.getMetadata().getCreationTimestamp());
  }

  /**
   * .github/scripts/promotion_gate.py, as the prod gate check of a pull request runs it; its exit
   * code.
   */
  private static int gate(String... args) throws Exception {
    Path script = GitOpsCluster.HACK.resolveSibling(".github").resolve("scripts/promotion_gate.py");
    List<String> command = new ArrayList<>(List.of("python3", script.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    System.out.println("promotion_gate.py: " + out.trim());
    return process.exitValue();
  }

  private static String digest(String seed) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return "ghcr.io/appenv/telemetry@sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
