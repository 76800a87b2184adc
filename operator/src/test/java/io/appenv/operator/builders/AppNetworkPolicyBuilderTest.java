package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AllowFromPeer;
import io.appenv.operator.api.NetworkSpec;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppNetworkPolicyBuilderTest {

  @Test
  void deniesByDefaultAndAllowsTheEnvironmentItselfAndPrometheus() {
    NetworkPolicy policy = AppNetworkPolicyBuilder.build(TestEnvironments.rolling("ns", "shop"));

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
              assertThat(rule.getFrom()).hasSize(2);
              assertThat(rule.getFrom().get(0).getPodSelector().getMatchLabels())
                  .containsExactlyEntriesOf(Map.of("app.kubernetes.io/instance", "shop"));
              assertThat(rule.getFrom().get(1).getNamespaceSelector().getMatchLabels())
                  .isNullOrEmpty();
              assertThat(rule.getFrom().get(1).getPodSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/name", "prometheus");
            });
  }

  @Test
  void addsTheAllowedSourcesOfTheSpec() {
    AllowFromPeer ingress = new AllowFromPeer();
    ingress.setNamespaceLabels(Map.of("kubernetes.io/metadata.name", "ingress-nginx"));
    ingress.setPodLabels(Map.of("app", "controller"));
    AllowFromPeer office = new AllowFromPeer();
    office.setCidr("10.1.0.0/16");
    NetworkSpec network = new NetworkSpec();
    network.setAllowFrom(List.of(ingress, office));

    NetworkPolicy policy =
        AppNetworkPolicyBuilder.build(
            TestEnvironments.rolling("ns", "shop", spec -> spec.setNetwork(network)));

    List<NetworkPolicyPeer> from = policy.getSpec().getIngress().get(0).getFrom();
    assertThat(from).hasSize(4);
    assertThat(from.get(2).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx");
    assertThat(from.get(2).getPodSelector().getMatchLabels()).containsEntry("app", "controller");
    assertThat(from.get(3).getIpBlock().getCidr()).isEqualTo("10.1.0.0/16");
    assertThat(from.get(3).getPodSelector()).isNull();
  }

  @Test
  void selectsOnlyTheAppPods() {
    var env = TestEnvironments.rolling("ns", "shop");

    assertThat(AppNetworkPolicyBuilder.build(env).getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(Labels.selector(env, Labels.COMPONENT_APP));
  }
}
