package io.appenv.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.events.Reason;
import io.appenv.operator.upstream.Prometheus;
import io.appenv.operator.upstream.PrometheusSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus Operator's selection rules, as kube-prometheus-stack and deploy/monitoring set
 * them.
 */
class PrometheusSelectionTest {
  private static final Map<String, String> RULES =
      Map.of("app.kubernetes.io/name", "shop", "release", "kps");
  private static final LabelSelector EVERYTHING = new LabelSelector();

  private static Prometheus prometheus(
      String namespace, LabelSelector objects, LabelSelector namespaces) {
    Prometheus p = new Prometheus();
    p.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("k8s").build());
    p.setSpec(new PrometheusSpec(objects, namespaces, objects, namespaces));
    return p;
  }

  private static LabelSelector labels(String key, String value) {
    return new LabelSelectorBuilder().withMatchLabels(Map.of(key, value)).build();
  }

  @Test
  void emptySelectorsSelectEveryNamespacesRulesAsDeployMonitoringDoes() {
    var result =
        PrometheusSelection.decide(
            List.of(prometheus("monitoring", EVERYTHING, EVERYTHING)),
            "shop-prod",
            Map.of(),
            Map.of(),
            Map.of());

    assertThat(result.state()).isEqualTo(PrometheusSelection.State.SELECTED);
    assertThat(result.message()).contains("monitoring/k8s");
  }

  @Test
  void kubePrometheusStacksReleaseLabelMustBeOnTheRules() {
    var kps = prometheus("monitoring", labels("release", "kps"), EVERYTHING);

    var without =
        PrometheusSelection.decide(
            List.of(kps), "shop-prod", Map.of(), Map.of("a", "b"), Map.of("a", "b"));
    var with = PrometheusSelection.decide(List.of(kps), "shop-prod", Map.of(), RULES, RULES);

    assertThat(without.state()).isEqualTo(PrometheusSelection.State.NOT_SELECTED);
    assertThat(without.reason()).isEqualTo(Reason.NOT_SELECTED_BY_ANY_PROMETHEUS);
    assertThat(without.message())
        .contains("monitoring/k8s: rules not selected (selector release=kps")
        .contains("spec.monitoring.labels");
    assertThat(with.state()).isEqualTo(PrometheusSelection.State.SELECTED);
  }

  @Test
  void aNullSelectorSelectsNothingAndANullNamespaceSelectorOnlyThePrometheusOwnNamespace() {
    var nothing = prometheus("monitoring", null, EVERYTHING);
    var ownNamespace = prometheus("monitoring", EVERYTHING, null);

    assertThat(
            PrometheusSelection.decide(List.of(nothing), "shop", Map.of(), RULES, RULES).message())
        .contains("selector null, selects none");
    assertThat(
            PrometheusSelection.decide(List.of(ownNamespace), "shop", Map.of(), RULES, RULES)
                .state())
        .isEqualTo(PrometheusSelection.State.NOT_SELECTED);
    assertThat(
            PrometheusSelection.decide(List.of(ownNamespace), "monitoring", Map.of(), RULES, RULES)
                .state())
        .isEqualTo(PrometheusSelection.State.SELECTED);
  }

  @Test
  void namespaceSelectorsMatchTheNamespacesLabelsWithExpressions() {
    var byTeam =
        prometheus(
            "monitoring",
            EVERYTHING,
            new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey("team")
                .withOperator("In")
                .withValues("payments", "shop")
                .endMatchExpression()
                .build());

    assertThat(
            PrometheusSelection.decide(
                    List.of(byTeam), "shop", Map.of("team", "shop"), RULES, RULES)
                .state())
        .isEqualTo(PrometheusSelection.State.SELECTED);
    assertThat(
            PrometheusSelection.decide(List.of(byTeam), "shop", Map.of("team", "ops"), RULES, RULES)
                .message())
        .contains("namespaces team In [payments, shop]");
  }

  @Test
  void oneSelectingPrometheusAmongSeveralIsEnoughAndNoneAtAllCannotBeKnown() {
    var other = prometheus("team-a", labels("team", "a"), EVERYTHING);
    var all = prometheus("monitoring", EVERYTHING, EVERYTHING);

    assertThat(
            PrometheusSelection.decide(List.of(other, all), "shop", Map.of(), RULES, RULES).state())
        .isEqualTo(PrometheusSelection.State.SELECTED);
    assertThat(PrometheusSelection.decide(List.of(), "shop", Map.of(), RULES, RULES).state())
        .isEqualTo(PrometheusSelection.State.UNKNOWN);
  }
}
