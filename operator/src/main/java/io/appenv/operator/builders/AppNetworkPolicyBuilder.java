package io.appenv.operator.builders;

import io.appenv.operator.api.AllowFromPeer;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.NetworkSpec;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Default-deny ingress for the app's Pods, except: Pods of the same environment, Prometheus in any
 * namespace (scraping), and the sources in spec.network.allowFrom.
 */
public final class AppNetworkPolicyBuilder {
  /**
   * Label that Prometheus Pods carry when installed by the Prometheus Operator or its Helm chart.
   */
  static final Map<String, String> PROMETHEUS_POD = Map.of(Labels.NAME, "prometheus");

  private AppNetworkPolicyBuilder() {}

  public static NetworkPolicy build(AppEnvironment env) {
    return new NetworkPolicyBuilder()
        .withMetadata(Metadata.of(env, Names.networkPolicy(env), Labels.COMPONENT_APP))
        .withNewSpec()
        .withPodSelector(selector(Labels.selector(env, Labels.COMPONENT_APP)))
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(peers(env))
        .addNewPort()
        .withProtocol("TCP")
        .withNewPort(EnvironmentDefaults.port(env))
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }

  static List<NetworkPolicyPeer> peers(AppEnvironment env) {
    List<NetworkPolicyPeer> peers = new ArrayList<>();
    peers.add(
        new NetworkPolicyPeerBuilder()
            .withPodSelector(selector(Map.of(Labels.INSTANCE, Names.app(env))))
            .build());
    peers.add(
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(new LabelSelector())
            .withPodSelector(selector(PROMETHEUS_POD))
            .build());
    NetworkSpec network = env.getSpec().getNetwork();
    if (network != null && network.getAllowFrom() != null) {
      network.getAllowFrom().stream().map(AppNetworkPolicyBuilder::peer).forEach(peers::add);
    }
    return peers;
  }

  private static NetworkPolicyPeer peer(AllowFromPeer allowed) {
    NetworkPolicyPeerBuilder peer = new NetworkPolicyPeerBuilder();
    if (allowed.getCidr() != null) {
      return peer.withNewIpBlock().withCidr(allowed.getCidr()).endIpBlock().build();
    }
    if (allowed.getNamespaceLabels() != null) {
      peer.withNamespaceSelector(selector(allowed.getNamespaceLabels()));
    }
    if (allowed.getPodLabels() != null) {
      peer.withPodSelector(selector(allowed.getPodLabels()));
    }
    return peer.build();
  }

  private static LabelSelector selector(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(labels).build();
  }
}
