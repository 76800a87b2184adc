package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.Map;

/**
 * Only the app's Pods, the environment's backup and roles Jobs and Prometheus may reach the
 * database.
 */
public final class PostgresNetworkPolicyBuilder {
  private PostgresNetworkPolicyBuilder() {}

  public static NetworkPolicy build(AppEnvironment env) {
    return new NetworkPolicyBuilder()
        .withMetadata(Metadata.of(env, Names.database(env), Labels.COMPONENT_DATABASE))
        .withNewSpec()
        .withPodSelector(selector(Labels.selector(env, Labels.COMPONENT_DATABASE)))
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addToFrom(
            new NetworkPolicyPeerBuilder()
                .withPodSelector(selector(Labels.selector(env, Labels.COMPONENT_APP)))
                .build())
        .addToFrom(
            new NetworkPolicyPeerBuilder()
                .withPodSelector(selector(Labels.selector(env, Labels.COMPONENT_BACKUP)))
                .build())
        .addToFrom(
            new NetworkPolicyPeerBuilder()
                .withPodSelector(selector(Labels.selector(env, Labels.COMPONENT_DATABASE_ADMIN)))
                .build())
        .addToFrom(
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(new LabelSelector())
                .withPodSelector(selector(AppNetworkPolicyBuilder.PROMETHEUS_POD))
                .build())
        .addNewPort()
        .withProtocol("TCP")
        .withNewPort(Postgres.PORT)
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }

  private static LabelSelector selector(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(labels).build();
  }
}
