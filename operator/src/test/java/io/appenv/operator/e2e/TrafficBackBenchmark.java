package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appenv.operator.Tools;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.builders.AlertRulesBuilder;
import io.appenv.operator.builders.AppServiceMonitorBuilder;
import io.appenv.operator.upstream.PrometheusRule;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Time to traffic back after a bad release, appenv against Argo Rollouts, in the same run: the same
 * failing app (the telemetry app, v2 answering half its API calls with 500), the same Prometheus
 * (Debian's) with the same scrape and evaluation intervals (15 s, the shipped ServiceMonitor and
 * PrometheusRule), released at the same moment. appenv's path: the environment's error-rate alert
 * (above 5 % for 30 s), Alertmanager as shipped, the operator's webhook. Argo Rollouts' path: a
 * blue/green Rollout whose post-promotion analysis runs the same PromQL every 15 s and fails on its
 * third failing measurement (30 s, as the alert's `for`), then aborts. Each tool's app processes
 * stand for its Pods; traffic follows each Service's selector, as kube-proxy would.
 *
 * <p>Run by hack/bench-scale.sh (make bench-scale) against its cluster, where the operator runs as
 * it ships and Argo Rollouts' controller manages its 1,000 Rollouts: APPENV_E2E_KUBECONFIG,
 * BENCH_OPERATOR_URL and BENCH_WEBHOOK_TOKEN say where; BENCH_ALARM_ROUNDS (1) repeats it in fresh
 * namespaces, BENCH_PORT_OFFSET moves the ports (11280-11299). Figures: stdout and
 * target/traffic-back.txt.
 */
@Tag("bench")
class TrafficBackBenchmark {
  private static final String NAME = "telemetry";
  private static final String ROLLOUT = "telemetry-argo";
  private static final String V1 = "ghcr.io/appenv/telemetry:0.1.0";
  private static final String V2 = "ghcr.io/appenv/telemetry:0.2.0";
  private static final String HASH = "rollouts-pod-template-hash";
  private static final int OFFSET =
      Integer.parseInt(System.getenv().getOrDefault("BENCH_PORT_OFFSET", "0"));
  private static final Path WORK = Path.of("target", "traffic-back").toAbsolutePath();

  private final KubernetesClient client = LocalCluster.client();

  /** One round's result, seconds. */
  record Round(
      double appenv, double appenvAlertToBack, double rollouts, double rolloutsAnalysisToBack) {}

  @Test
  void trafficBackAfterABadRelease() throws Exception {
    String operatorUrl = required("BENCH_OPERATOR_URL");
    String token = required("BENCH_WEBHOOK_TOKEN");
    int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ALARM_ROUNDS", "1"));
    String prometheusBin = Tools.require("prometheus", "prometheus");
    String alertmanagerBin = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
    List<Round> results = new ArrayList<>();
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      for (int round = 1; round <= rounds; round++) {
        results.add(round(round, postgres, operatorUrl, token, prometheusBin, alertmanagerBin));
        System.out.println("round " + round + ": " + results.get(results.size() - 1));
      }
    }
    Files.writeString(WORK.resolveSibling("traffic-back.txt"), report(results));
    System.out.println(report(results));
  }

  private Round round(
      int round,
      EmbeddedPostgres postgres,
      String operatorUrl,
      String token,
      String prometheusBin,
      String alertmanagerBin)
      throws Exception {
    String appenvNs = "bench-alarm-appenv-" + round;
    String argoNs = "bench-alarm-argo-" + round;
    Path work = WORK.resolve("round-" + round);
    Files.createDirectories(work);
    AlarmStack stack = new AlarmStack(work, port(10), port(13));
    int appenvV1 = port(1);
    int appenvV2 = port(2);
    int argoV1 = port(3);
    int argoV2 = port(4);
    for (String ns : List.of(appenvNs, argoNs)) {
      SampleEnvironments.namespace(client, ns);
    }
    LiveEnvironment appenv = new LiveEnvironment(client, appenvNs, NAME);

    try (LocalProcess a1 = stack.app(postgres, "appenv-v1", appenvV1, "0");
        LocalProcess a2 = stack.app(postgres, "appenv-v2", appenvV2, "0.5");
        LocalProcess r1 = stack.app(postgres, "argo-v1", argoV1, "0");
        LocalProcess r2 = stack.app(postgres, "argo-v2", argoV2, "0.5")) {
      for (var app : Map.of(a1, appenvV1, a2, appenvV2, r1, argoV1, r2, argoV2).entrySet()) {
        app.getKey()
            .awaitReady(
                "http://127.0.0.1:" + app.getValue() + "/actuator/health/readiness",
                Duration.ofMinutes(3));
      }

      AppEnvironment env = AlarmStack.environment(appenvNs);
      env.getSpec().getApp().setImage(V1);
      client.resource(env).create();
      await().atMost(Duration.ofMinutes(3)).until(() -> appenv.phase() == Phase.Ready);
      PrometheusRule rules =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      client
                          .resources(PrometheusRule.class)
                          .inNamespace(appenvNs)
                          .withName(NAME)
                          .get(),
                  Objects::nonNull);
      String alertExpr = errorRateExpr(rules);

      PodTemplateSpec template =
          client
              .apps()
              .deployments()
              .inNamespace(appenvNs)
              .withName(NAME + "-blue")
              .get()
              .getSpec()
              .getTemplate();
      createRollout(argoNs, template, argoQuery(alertExpr, appenvNs, argoNs));
      await().atMost(Duration.ofMinutes(3)).until(() -> healthy(argoNs));

      List<AlarmStack.Target> targets =
          List.of(
              AlarmStack.Target.pod(appenvV1, appenvNs, NAME, NAME + "-blue-0"),
              AlarmStack.Target.pod(appenvV2, appenvNs, NAME, NAME + "-green-0"),
              AlarmStack.Target.pod(argoV1, argoNs, ROLLOUT, ROLLOUT + "-v1"),
              AlarmStack.Target.pod(argoV2, argoNs, ROLLOUT, ROLLOUT + "-v2"));
      try (LocalProcess alertmanager =
              stack.alertmanager(alertmanagerBin, operatorUrl + "/webhooks/alertmanager", token);
          LocalProcess prometheus =
              stack.prometheus(prometheusBin, List.of(stack.ruleFile(NAME, rules)), targets);
          Traffic toAppenv =
              Traffic.toLocalApp(
                  "appenv", () -> "blue".equals(appenv.servingColor()) ? appenvV1 : appenvV2);
          Traffic toArgo =
              Traffic.toLocalApp("argo", () -> V1.equals(activeImage(argoNs)) ? argoV1 : argoV2)) {
        // Prometheus knows v1's healthy series of both before
        // the release, as it would in a cluster.
        for (String ns : List.of(appenvNs, argoNs)) {
          stack.awaitApiSeries(ns, Duration.ofSeconds(90));
        }

        appenv.setImage(V2);
        rollouts(argoNs)
            .withName(ROLLOUT)
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
                    + V2
                    + "\"}]");

        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> toAppenv.firstErrorAt() != null && toArgo.firstErrorAt() != null);
        // Both within 6 minutes of the release; each Traffic notes when its lookup first found v1.
        Instant deadline = Instant.now().plus(Duration.ofMinutes(6));
        await("appenv's traffic back on v1")
            .atMost(Duration.between(Instant.now(), deadline))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> toAppenv.port() == appenvV1);
        Instant appenvBack = toAppenv.destinationSince();
        await("Argo Rollouts' traffic back on v1")
            .atMost(Duration.between(Instant.now(), deadline))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> toArgo.port() == argoV1);
        Instant argoBack = toArgo.destinationSince();

        ReleaseRecord bad = appenv.newestRelease().orElseThrow();
        assertThat(bad.getResult()).isEqualTo("RolledBack");
        assertThat(bad.getReason()).contains("AppErrorRateHigh");
        Map<String, Object> status = status(argoNs);
        assertThat(status.get("abort")).as("the Rollout aborted").isEqualTo(true);
        Instant analysisFailed = analysisFailedAt(argoNs);
        return new Round(
            seconds(toAppenv.firstErrorAt(), appenvBack),
            bad.getTimeToRestoreSeconds(),
            seconds(toArgo.firstErrorAt(), argoBack),
            seconds(analysisFailed, argoBack));
      }
    }
  }

  /** The error-rate alert's expression, as the operator wrote it into the PrometheusRule. */
  private static String errorRateExpr(PrometheusRule rules) {
    return rules.getSpec().getGroups().stream()
        .flatMap(g -> g.getRules().stream())
        .filter(r -> "AppErrorRateHigh".equals(r.getAlert()))
        .map(r -> r.getExpr())
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no AppErrorRateHigh rule in " + Serialization.asYaml(rules)));
  }

  /**
   * The same PromQL for Argo's Pods, without the comparison (the analysis' successCondition is the
   * threshold).
   */
  private static String argoQuery(String alertExpr, String appenvNs, String argoNs) {
    assertThat(alertExpr)
        .endsWith(" > 0.05")
        .contains("namespace=\"" + appenvNs + "\",service=\"" + NAME + "\"");
    return alertExpr
        .substring(0, alertExpr.length() - " > 0.05".length())
        .replace(
            "namespace=\"" + appenvNs + "\",service=\"" + NAME + "\"",
            "namespace=\"" + argoNs + "\",service=\"" + ROLLOUT + "\"");
  }

  private void createRollout(String ns, PodTemplateSpec appenvTemplate, String query) {
    PodTemplateSpec template = Serialization.clone(appenvTemplate);
    template.setMetadata(new ObjectMetaBuilder().withLabels(Map.of("app", ROLLOUT)).build());
    template.getSpec().getContainers().get(0).setImage(V1);
    int port = template.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
    for (String name : List.of(ROLLOUT, ROLLOUT + "-preview")) {
      client
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewSpec()
                  .withSelector(Map.of("app", ROLLOUT))
                  .addNewPort()
                  .withName("http")
                  .withPort(port)
                  .withNewTargetPort(port)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
    }
    client
        .resource(
            generic(
                """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: error-rate, namespace: %s}
        spec:
          metrics:
            - name: error-rate
              # every rule evaluation interval; the third failing measurement fails it: 30 s, the alert's `for`
              interval: %s
              failureLimit: 2
              count: 40
              successCondition: "len(result) == 0 || isNaN(result[0]) || result[0] <= 0.05"
              provider:
                prometheus:
                  address: %s
                  query: %s
        """
                    .formatted(
                        ns,
                        AlertRulesBuilder.EVALUATION_INTERVAL,
                        "http://127.0.0.1:" + port(10),
                        Serialization.asJson(query))))
        .create();
    GenericKubernetesResource rollout =
        generic(
            """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %s}}
          template: %s
          strategy:
            blueGreen:
              activeService: %s
              previewService: %s-preview
              autoPromotionEnabled: true
              scaleDownDelaySeconds: 600
              postPromotionAnalysis:
                templates: [{templateName: error-rate}]
        """
                .formatted(ROLLOUT, ns, ROLLOUT, Serialization.asJson(template), ROLLOUT, ROLLOUT));
    client.resource(rollout).create();
  }

  private static GenericKubernetesResource generic(String yaml) {
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      rollouts(String ns) {
    return client.genericKubernetesResources("argoproj.io/v1alpha1", "Rollout").inNamespace(ns);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> status(String ns) {
    GenericKubernetesResource rollout = rollouts(ns).withName(ROLLOUT).get();
    Object status = rollout == null ? null : rollout.getAdditionalProperties().get("status");
    return status == null ? Map.of() : (Map<String, Object>) status;
  }

  private boolean healthy(String ns) {
    return "Healthy".equals(status(ns).get("phase"));
  }

  /** The image of the ReplicaSet the active Service selects. */
  private String activeImage(String ns) {
    String hash =
        client.services().inNamespace(ns).withName(ROLLOUT).get().getSpec().getSelector().get(HASH);
    ReplicaSet replicaSet =
        client.apps().replicaSets().inNamespace(ns).withName(ROLLOUT + "-" + hash).get();
    return replicaSet.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** When the failing post-promotion AnalysisRun took its last measurement. */
  @SuppressWarnings("unchecked")
  private Instant analysisFailedAt(String ns) {
    return client
        .genericKubernetesResources("argoproj.io/v1alpha1", "AnalysisRun")
        .inNamespace(ns)
        .list()
        .getItems()
        .stream()
        .map(run -> (Map<String, Object>) run.getAdditionalProperties().get("status"))
        .filter(s -> s != null && "Failed".equals(s.get("phase")))
        .flatMap(s -> ((List<Map<String, Object>>) s.get("metricResults")).stream())
        .flatMap(m -> ((List<Map<String, Object>>) m.get("measurements")).stream())
        .map(m -> Instant.parse((String) m.get("finishedAt")))
        .max(Instant::compareTo)
        .orElseThrow(() -> new IllegalStateException("no failed AnalysisRun in " + ns));
  }

  private static String report(List<Round> rounds) {
    double appenv = median(rounds.stream().map(Round::appenv).toList());
    double argo = median(rounds.stream().map(Round::rollouts).toList());
    return """
        traffic.appenv=%.1f
        traffic.rollouts=%.1f
        traffic back after a bad release, appenv (alert, Alertmanager, webhook): %.1f s from the first 500 (median of %d: %s; alert firing -> back: %s s)
        traffic back after a bad release, Argo Rollouts (analysis, abort): %.1f s from the first 500 (median of %d: %s; analysis failed -> back: %s s)
        traffic back, appenv / Argo Rollouts (scrape %s, evaluation and analysis interval %s): %.2f
        """
        .formatted(
            appenv,
            argo,
            appenv,
            rounds.size(),
            list(rounds.stream().map(Round::appenv).toList()),
            list(rounds.stream().map(Round::appenvAlertToBack).toList()),
            argo,
            rounds.size(),
            list(rounds.stream().map(Round::rollouts).toList()),
            list(rounds.stream().map(Round::rolloutsAnalysisToBack).toList()),
            AppServiceMonitorBuilder.SCRAPE_INTERVAL,
            AlertRulesBuilder.EVALUATION_INTERVAL,
            appenv / argo);
  }

  private static String list(List<Double> values) {
    return String.join(" ", values.stream().map(v -> "%.1f".formatted(v)).toList());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static int port(int index) {
    return 11280 + index + OFFSET;
  }

  private static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name + " is not set: this benchmark runs inside hack/bench-scale.sh (make bench-scale)");
    }
    return value;
  }
}
