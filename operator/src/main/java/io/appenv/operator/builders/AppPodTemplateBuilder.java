package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ComputeResources;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.ProbesSpec;
import io.appenv.operator.api.ResourcesSpec;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The app's Pod: one hardened container with probes, resources and env from the spec. */
public final class AppPodTemplateBuilder {
  public static final String CONTAINER = "app";
  public static final String PORT_NAME = "http";

  /** Startup probes every 5 s before the app counts as failed to start: five minutes. */
  static final int STARTUP_PROBES = 60;

  private AppPodTemplateBuilder() {}

  public static PodTemplateSpec build(AppEnvironment env, Map<String, String> podLabels) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(podLabels)
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(30L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(env))
        // Spring Boot and most JVMs need a writable /tmp; the root filesystem stays read-only.
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  static Container container(AppEnvironment env) {
    int port = EnvironmentDefaults.port(env);
    ProbesSpec probes = EnvironmentDefaults.probes(env);
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(env.getSpec().getApp().getImage())
        .addNewPort()
        .withName(PORT_NAME)
        .withContainerPort(port)
        .withProtocol("TCP")
        .endPort()
        .withEnv(envVars(env))
        .withResources(resources(env.getSpec().getApp().getResources()))
        // A JVM on a busy node may take a minute to start: the startup probe gives it five, and
        // liveness only counts once it has answered, so a slow start is not a crash loop.
        .withStartupProbe(
            httpProbe(probes.getLivenessPath(), probes.getInitialDelaySeconds(), STARTUP_PROBES))
        .withReadinessProbe(httpProbe(probes.getReadinessPath(), null, 3))
        .withLivenessProbe(httpProbe(probes.getLivenessPath(), null, 6))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }

  /**
   * The spec's variables, then the database's when there is one. Never null: JOSDK's
   * server-side-apply matcher expects a list of env vars, even an empty one.
   */
  static List<EnvVar> envVars(AppEnvironment env) {
    List<EnvVar> vars = new java.util.ArrayList<>();
    List<EnvVarSpec> specs = env.getSpec().getApp().getEnv();
    if (specs != null) {
      specs.stream().map(AppPodTemplateBuilder::envVar).forEach(vars::add);
    }
    if (Postgres.isEnabled(env)) {
      vars.addAll(PostgresClientEnv.of(env));
    }
    return vars;
  }

  private static EnvVar envVar(EnvVarSpec spec) {
    EnvVarBuilder builder = new EnvVarBuilder().withName(spec.getName());
    if (spec.getSecretKeyRef() != null) {
      return builder
          .withNewValueFrom()
          .withNewSecretKeyRef()
          .withName(spec.getSecretKeyRef().getName())
          .withKey(spec.getSecretKeyRef().getKey())
          .endSecretKeyRef()
          .endValueFrom()
          .build();
    }
    if (spec.getConfigMapKeyRef() != null) {
      return builder
          .withNewValueFrom()
          .withNewConfigMapKeyRef()
          .withName(spec.getConfigMapKeyRef().getName())
          .withKey(spec.getConfigMapKeyRef().getKey())
          .endConfigMapKeyRef()
          .endValueFrom()
          .build();
    }
    return builder.withValue(spec.getValue()).build();
  }

  static ResourceRequirements resources(ResourcesSpec spec) {
    if (spec == null) {
      return null;
    }
    return new ResourceRequirementsBuilder()
        .withRequests(quantities(spec.getRequests()))
        .withLimits(quantities(spec.getLimits()))
        .build();
  }

  private static Map<String, Quantity> quantities(ComputeResources resources) {
    Map<String, Quantity> quantities = new LinkedHashMap<>();
    if (resources != null && resources.getCpu() != null) {
      quantities.put("cpu", new Quantity(resources.getCpu()));
    }
    if (resources != null && resources.getMemory() != null) {
      quantities.put("memory", new Quantity(resources.getMemory()));
    }
    return quantities.isEmpty() ? null : quantities;
  }

  private static Probe httpProbe(String path, Integer initialDelaySeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort(PORT_NAME)
        .endHttpGet()
        // Zero is the API default and is not stored: leave it out so
        // applied and stored objects compare equal.
        .withInitialDelaySeconds(
            initialDelaySeconds == null || initialDelaySeconds == 0 ? null : initialDelaySeconds)
        .withPeriodSeconds(5)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
