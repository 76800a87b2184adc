package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ComputeResources;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.EnvironmentType;
import io.appenv.operator.api.KeyReference;
import io.appenv.operator.api.ProbesSpec;
import io.appenv.operator.api.ResourcesSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppDeploymentBuilderTest {

  private static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void namesAndLabelsTheDeploymentAfterTheEnvironment() {
    Deployment deployment =
        AppDeploymentBuilder.build(TestEnvironments.rolling("shop-dev", "shop"));

    assertThat(deployment.getMetadata().getName()).isEqualTo("shop");
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("shop-dev");
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "shop")
        .containsEntry("app.kubernetes.io/instance", "shop")
        .containsEntry("app.kubernetes.io/managed-by", "appenv")
        .containsEntry("app.kubernetes.io/component", "app")
        .containsEntry("platform.appenv.io/environment", "dev");
  }

  @Test
  void selectorMatchesThePodLabelsAndLeavesOutMutableLabels() {
    Deployment deployment = AppDeploymentBuilder.build(TestEnvironments.rolling("ns", "shop"));

    Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(selector);
    assertThat(selector)
        .doesNotContainKeys("platform.appenv.io/environment", "app.kubernetes.io/managed-by");
  }

  @ParameterizedTest
  @CsvSource({"DEV,1", "STAGING,2", "PROD,3"})
  void replicasDefaultByEnvironment(EnvironmentType environment, int expected) {
    AppEnvironment env =
        TestEnvironments.rolling("ns", "shop", spec -> spec.setEnvironment(environment));

    assertThat(AppDeploymentBuilder.build(env).getSpec().getReplicas()).isEqualTo(expected);
  }

  @Test
  void explicitReplicasWinOverTheEnvironmentDefault() {
    AppEnvironment env =
        TestEnvironments.rolling(
            "ns",
            "shop",
            spec -> {
              spec.setEnvironment(EnvironmentType.PROD);
              spec.getApp().setReplicas(7);
            });

    assertThat(AppDeploymentBuilder.build(env).getSpec().getReplicas()).isEqualTo(7);
  }

  @Test
  void containerRunsTheImageOnTheConfiguredPort() {
    AppEnvironment env =
        TestEnvironments.rolling("ns", "shop", spec -> spec.getApp().setPort(9090));

    Container container = container(AppDeploymentBuilder.build(env));
    assertThat(container.getImage()).isEqualTo(TestEnvironments.IMAGE);
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getContainerPort()).isEqualTo(9090);
              assertThat(port.getName()).isEqualTo("http");
            });
  }

  @Test
  void envVarsAreLiteralsOrKeyReferences() {
    AppEnvironment env =
        TestEnvironments.rolling(
            "ns",
            "shop",
            spec ->
                spec.getApp()
                    .setEnv(
                        List.of(
                            EnvVarSpec.literal("MODE", "fast"),
                            EnvVarSpec.fromSecret("API_TOKEN", "shop-secrets", "token"),
                            new EnvVarSpec(
                                "REGION", null, null, new KeyReference("shop-config", "region")))));

    List<EnvVar> vars = container(AppDeploymentBuilder.build(env)).getEnv();
    assertThat(vars).hasSize(3);
    assertThat(vars.get(0).getValue()).isEqualTo("fast");
    assertThat(vars.get(1).getValue()).isNull();
    assertThat(vars.get(1).getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-secrets");
    assertThat(vars.get(1).getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(vars.get(2).getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("shop-config");
  }

  @Test
  void resourcesAreCopiedAsQuantities() {
    AppEnvironment env =
        TestEnvironments.rolling(
            "ns",
            "shop",
            spec ->
                spec.getApp()
                    .setResources(
                        new ResourcesSpec(
                            new ComputeResources("250m", "256Mi"),
                            new ComputeResources(null, "512Mi"))));

    var resources = container(AppDeploymentBuilder.build(env)).getResources();
    assertThat(resources.getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(resources.getLimits()).containsOnlyKeys("memory");
  }

  @Test
  void probesUseTheConfiguredPathsAndDelay() {
    ProbesSpec probes = new ProbesSpec();
    probes.setReadinessPath("/ready");
    probes.setLivenessPath("/alive");
    probes.setInitialDelaySeconds(15);
    AppEnvironment env =
        TestEnvironments.rolling("ns", "shop", spec -> spec.getApp().setProbes(probes));

    Container container = container(AppDeploymentBuilder.build(env));
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/alive");
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/alive");
    assertThat(container.getStartupProbe().getInitialDelaySeconds()).isEqualTo(15);
    assertThat(container.getLivenessProbe().getInitialDelaySeconds())
        .as("counts once started")
        .isNull();
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  @Test
  void aSlowStartIsNotACrashLoop() {
    Container container =
        container(AppDeploymentBuilder.build(TestEnvironments.rolling("ns", "shop")));

    assertThat(
            container.getStartupProbe().getPeriodSeconds()
                * container.getStartupProbe().getFailureThreshold())
        .as("seconds a JVM may take to start")
        .isEqualTo(300);
    assertThat(
            container.getLivenessProbe().getPeriodSeconds()
                * container.getLivenessProbe().getFailureThreshold())
        .as("seconds a started app may stop answering")
        .isEqualTo(30);
  }

  @Test
  void defaultProbesFollowSpringBootActuator() {
    Container container =
        container(AppDeploymentBuilder.build(TestEnvironments.rolling("ns", "shop")));

    assertThat(container.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/readiness");
    assertThat(container.getLivenessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/liveness");
  }

  @Test
  void rollingUpdateNeverDropsBelowTheDesiredReplicasAndHonoursTheProgressDeadline() {
    AppEnvironment env =
        TestEnvironments.rolling(
            "ns", "shop", spec -> spec.getRelease().setProgressDeadline("2m30s"));

    Deployment deployment = AppDeploymentBuilder.build(env);
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    assertThat(deployment.getSpec().getProgressDeadlineSeconds()).isEqualTo(150);
  }

  @Test
  void podsRunHardened() {
    Deployment deployment = AppDeploymentBuilder.build(TestEnvironments.rolling("ns", "shop"));

    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    var container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void sameSpecBuildsAnEqualDeployment() {
    assertThat(AppDeploymentBuilder.build(TestEnvironments.rolling("ns", "shop")))
        .isEqualTo(AppDeploymentBuilder.build(TestEnvironments.rolling("ns", "shop")));
  }
}
