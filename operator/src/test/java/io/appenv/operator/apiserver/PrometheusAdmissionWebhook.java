package io.appenv.operator.apiserver;

import static org.awaitility.Awaitility.await;

import io.appenv.operator.Samples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus Operator's admission webhook, built by hack/prometheus-admission.sh, serving on
 * 127.0.0.1 with a certificate of its own and registered with an API server for PrometheusRules, as
 * the kube-prometheus-stack chart installs it; with the PrometheusRule CRD it validates. Close to
 * stop it.
 */
final class PrometheusAdmissionWebhook implements AutoCloseable {
  private static final String CONFIGURATION = "prometheus-operator-admission";
  private final KubernetesClient client;
  private final Process process;
  private final Path dir;

  private PrometheusAdmissionWebhook(KubernetesClient client, Process process, Path dir) {
    this.client = client;
    this.process = process;
    this.dir = dir;
  }

  static PrometheusAdmissionWebhook installIn(KubernetesClient client)
      throws IOException, InterruptedException {
    Path hack = Samples.crdsDir().resolveSibling("hack");
    String binary = lastLine(run(20, "bash", hack.resolve("prometheus-admission.sh").toString()));
    installPrometheusRuleCrd(client, hack);
    Path dir = Files.createTempDirectory("prometheus-admission");
    run(
        1,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        dir.resolve("tls.key").toString(),
        "-out",
        dir.resolve("tls.crt").toString(),
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1");
    int port = freePort();
    Process process =
        new ProcessBuilder(
                binary,
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-tls=true",
                "--web.cert-file=" + dir.resolve("tls.crt"),
                "--web.key-file=" + dir.resolve("tls.key"),
                "--web.client-ca-file=")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("webhook.log").toFile())
            .start();
    PrometheusAdmissionWebhook webhook = new PrometheusAdmissionWebhook(client, process, dir);
    try {
      webhook.awaitListening(port);
      webhook.register(port, Files.readAllBytes(dir.resolve("tls.crt")));
      return webhook;
    } catch (RuntimeException e) {
      webhook.close();
      throw e;
    }
  }

  @Override
  public void close() {
    client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(CONFIGURATION)
        .delete();
    process.destroy();
  }

  private void register(int port, byte[] certificate) {
    ValidatingWebhookConfiguration configuration =
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(CONFIGURATION)
            .endMetadata()
            .addNewWebhook()
            .withName("prometheusrulevalidate.monitoring.coreos.com")
            .withAdmissionReviewVersions("v1")
            .withSideEffects("None")
            .withFailurePolicy("Fail")
            .withNewClientConfig()
            .withUrl("https://127.0.0.1:" + port + "/admission-prometheusrules/validate")
            .withCaBundle(Base64.getEncoder().encodeToString(certificate))
            .endClientConfig()
            .addNewRule()
            .withApiGroups("monitoring.coreos.com")
            .withApiVersions("*")
            .withResources("prometheusrules")
            .withOperations("CREATE", "UPDATE")
            .endRule()
            .endWebhook()
            .build();
    client.resource(configuration).serverSideApply();
  }

  private void awaitListening(int port) {
    await("the admission webhook listening on 127.0.0.1:" + port)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .failFast(
            "the admission webhook exited; see " + dir.resolve("webhook.log"),
            () -> !process.isAlive())
        // Refused until the process has opened its port: "not yet", not a failure.
        .ignoreExceptionsInstanceOf(ConnectException.class)
        .until(() -> connects(port));
  }

  private static boolean connects(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    }
  }

  private static void installPrometheusRuleCrd(KubernetesClient client, Path hack)
      throws IOException, InterruptedException {
    String file =
        run(5, "bash", hack.resolve("upstream-crds.sh").toString(), "--list")
            .lines()
            .filter(line -> line.endsWith("monitoring.coreos.com_prometheusrules.yaml"))
            .findFirst()
            .orElseThrow();
    HasMetadata crd;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      crd = client.load(in).items().get(0);
    }
    client.resource(crd).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(PrometheusAdmissionWebhook::established, 30, TimeUnit.SECONDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Runs a command to its end and returns its standard output; fails with its error output. */
  private static String run(int minutes, String... command)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile("command", ".err");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(minutes, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", List.of(command)) + " failed: " + Files.readString(err));
    }
    return out;
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    return lines.get(lines.size() - 1);
  }
}
