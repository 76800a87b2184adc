package io.appenv.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appenv.operator.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid AppEnvironments, each with the error a user sees from the real kube-apiserver (schema and
 * CEL of the generated CRD). docs/api.md lists the same table.
 */
class InvalidAppEnvironmentTest {
  private static final String NS = "validation";
  private static final String CRON_ERROR =
      "spec.backup.schedule: Invalid value: \"string\": must be a cron schedule"
          + " of five fields: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT";
  private static final String CIDR_ERROR =
      "spec.network.allowFrom[0].cidr: Invalid value: \"string\": must be an IPv4"
          + " or IPv6 block in CIDR notation, e.g. 10.0.0.0/8 or 2001:db8::/32";
  private static final String NAME_ERROR =
      "metadata.name must start with a letter and hold only lowercase letters,"
          + " digits and '-' (the Services appenv creates take this name): choose another name";
  private static KubernetesClient client;

  @BeforeAll
  static void installCrd() {
    client = RealApiServer.client();
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  record Case(String name, String path, Object value, String expectedError) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> invalidEnvironments() {
    return Stream.of(
        new Case(
            "negative replicas",
            "spec.app.replicas",
            -1,
            "spec.app.replicas: Invalid value: -1: spec.app.replicas in body should be greater than or equal to 0"),
        new Case(
            "too many replicas", "spec.app.replicas", 101, "should be less than or equal to 100"),
        new Case(
            "malformed image",
            "spec.app.image",
            "Not An Image",
            "spec.app.image in body should match"),
        new Case(
            "image without tag or digest",
            "spec.app.image",
            "ghcr.io/acme/telemetry",
            "spec.app.image in body should match"),
        new Case(
            "prod image ':latest'",
            "spec.app.image",
            "ghcr.io/acme/telemetry:latest",
            "prod environments must pin spec.app.image"),
        new Case("missing image", "spec.app.image", null, "spec.app.image: Required value"),
        new Case(
            "unknown environment",
            "spec.environment",
            "qa",
            "spec.environment: Unsupported value: \"qa\""),
        new Case(
            "missing environment", "spec.environment", null, "spec.environment: Required value"),
        new Case(
            "port 0",
            "spec.app.port",
            0,
            "spec.app.port in body should be greater than or equal to 1"),
        new Case(
            "unknown strategy",
            "spec.release.strategy",
            "Canary",
            "spec.release.strategy: Unsupported value: \"Canary\""),
        new Case(
            "bad duration",
            "spec.release.scaleDownDelay",
            "10 minutes",
            "spec.release.scaleDownDelay in body should match"),
        new Case(
            "rollback limit above 60/h",
            "spec.release.rollback.maxPerHour",
            61,
            "should be less than or equal to 60"),
        new Case("bad cron", "spec.backup.schedule", "every day at two", CRON_ERROR),
        new Case("cron minute 61", "spec.backup.schedule", "61 2 * * *", CRON_ERROR),
        new Case("cron weekday 7", "spec.backup.schedule", "0 2 * * 7", CRON_ERROR),
        new Case("cron step 0", "spec.backup.schedule", "*/0 2 * * *", CRON_ERROR),
        new Case(
            "zero progress deadline",
            "spec.release.progressDeadline",
            "0s",
            "spec.release.progressDeadline: Invalid value: \"string\": must be from 1s to 24h, e.g. 10m"),
        new Case(
            "zero verification window",
            "spec.release.rollback.verificationWindow",
            "0m",
            "spec.release.rollback.verificationWindow: Invalid value: \"string\": must be from 1s to 168h (7 days), e.g."
                + " 30m; to turn rollbacks off, set onAlerts to false"),
        new Case(
            "zero retention",
            "spec.backup.retention",
            "0h",
            "spec.backup.retention: Invalid value: \"string\": must be from 1h to 87600h (10 years), e.g. 168h"),
        new Case(
            "scale-down delay of a century",
            "spec.release.scaleDownDelay",
            "876000h",
            "spec.release.scaleDownDelay: Invalid value: \"string\": must be at most 168h (7 days), e.g. 10m"),
        new Case(
            "retention of a century",
            "spec.backup.retention",
            "876000h",
            "spec.backup.retention: Invalid value: \"string\": must be from 1h to 87600h (10 years), e.g. 168h"),
        new Case(
            "alert waits a year",
            "spec.monitoring.alerts.errorRate.for",
            "8760h",
            "spec.monitoring.alerts.errorRate.for: Invalid value: \"string\": must be at most 24h, e.g. 5m"),
        new Case(
            "duration too long to read",
            "spec.release.progressDeadline",
            "99999999h",
            "spec.release.progressDeadline in body should match '^([0-9]{1,6}(ms|s|m|h))+$'"),
        new Case(
            "zero database storage",
            "spec.database.storage",
            "0Gi",
            "spec.database.storage: Invalid value: \"string\": must be more than 0 and at most 64Ti, e.g. 20Gi"),
        new Case(
            "database storage of exabytes",
            "spec.database.storage",
            "1Ei",
            "spec.database.storage: Invalid value: \"string\": must be more than 0 and at most 64Ti, e.g. 20Gi"),
        new Case(
            "zero backup volume",
            "spec.backup.logical.storage",
            "0",
            "spec.backup.logical.storage: Invalid value: \"string\": must be more than 0 and at most 64Ti, e.g. 20Gi"),
        new Case(
            "zero memory limit",
            "spec.app.resources",
            Map.of("limits", Map.of("memory", "0")),
            "spec.app.resources.limits.memory: Invalid value: \"string\": must be more than 0: leave it out rather than set it to 0"),
        new Case(
            "allowFrom cidr out of range",
            "spec.network.allowFrom",
            List.of(Map.of("cidr", "999.1.1.1/8")),
            CIDR_ERROR),
        new Case(
            "allowFrom cidr prefix 33",
            "spec.network.allowFrom",
            List.of(Map.of("cidr", "10.0.0.0/33")),
            CIDR_ERROR),
        new Case(
            "allowFrom cidr not an address",
            "spec.network.allowFrom",
            List.of(Map.of("cidr", "office")),
            CIDR_ERROR),
        new Case(
            "name of 41 characters",
            "metadata.name",
            "a".repeat(41),
            "metadata.name may have at most 40 characters: appenv names objects after it, such as the Job"
                + " <name>-db-roles-<hash>, and those must fit 63; choose a shorter name"),
        new Case("name with a dot", "metadata.name", "shop.v2", NAME_ERROR),
        new Case("name starting with a digit", "metadata.name", "1shop", NAME_ERROR),
        new Case(
            "velero namespace not a name",
            "spec.backup.velero.namespace",
            "Velero_NS",
            "spec.backup.velero.namespace in body should match"),
        new Case(
            "storage class not a name",
            "spec.database.storageClassName",
            "Fast SSD",
            "spec.database.storageClassName in body should match"),
        new Case(
            "secret name not a name",
            "spec.app.env",
            List.of(
                Map.of(
                    "name", "API_KEYS", "secretKeyRef", Map.of("name", "API Keys", "key", "keys"))),
            "spec.app.env[0].secretKeyRef.name in body should match"),
        new Case(
            "unknown deletion policy",
            "spec.database.deletionPolicy",
            "Keep",
            "spec.database.deletionPolicy: Unsupported value: \"Keep\""),
        new Case(
            "unsupported PostgreSQL version",
            "spec.database.version",
            "13",
            "spec.database.version: Unsupported value: \"13\""),
        new Case(
            "storage not a quantity",
            "spec.database.storage",
            "lots",
            "spec.database.storage in body should match"),
        new Case(
            "literal secret in env",
            "spec.app.env",
            List.of(Map.of("name", "DB_PASSWORD", "value", "hunter2")),
            "use secretKeyRef instead of a literal value"),
        new Case(
            "env value and secretKeyRef together",
            "spec.app.env",
            List.of(
                Map.of(
                    "name", "MODE", "value", "x", "secretKeyRef", Map.of("name", "s", "key", "k"))),
            "set exactly one of value, secretKeyRef or configMapKeyRef"),
        new Case(
            "duplicate env names",
            "spec.app.env",
            List.of(Map.of("name", "MODE", "value", "a"), Map.of("name", "MODE", "value", "b")),
            "environment variable names must be unique"),
        new Case(
            "cpu request above limit",
            "spec.app.resources",
            Map.of("requests", Map.of("cpu", "2"), "limits", Map.of("cpu", "500m")),
            "requests.cpu must not exceed limits.cpu"),
        new Case(
            "logical backup without database",
            "spec.database",
            null,
            "spec.backup.logical needs spec.database"),
        new Case(
            "alert rollback with Rolling strategy",
            "spec.release",
            Map.of("strategy", "Rolling", "rollback", Map.of("onAlerts", true)),
            "automatic rollback on alerts needs release.strategy BlueGreen"),
        new Case(
            "custom alert name with a dash",
            "spec.monitoring.alerts.custom",
            List.of(Map.of("name", "queue-backlog", "expr", "up == 0")),
            "spec.monitoring.alerts.custom[0].name in body should match"),
        new Case(
            "allowFrom cidr with pod labels",
            "spec.network.allowFrom",
            List.of(Map.of("cidr", "10.0.0.0/8", "podLabels", Map.of("a", "b"))),
            "cidr cannot be combined with namespaceLabels or podLabels"),
        new Case(
            "allowFrom with nothing",
            "spec.network.allowFrom",
            List.of(Map.of()),
            "set namespaceLabels, podLabels or cidr"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidEnvironments")
  void realApiServerRejectsWithAClearMessage(Case invalid) {
    GenericKubernetesResource env =
        validEnvironment(
            invalid
                .name()
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", ""));
    if (invalid.path().equals("metadata.name")) {
      env.getMetadata().setName((String) invalid.value());
    } else {
      set(env, invalid.path(), invalid.value());
    }

    assertThatThrownBy(() -> client.resource(env).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(invalid.expectedError());
  }

  @Test
  void storageMayGrowButNeverShrink() {
    GenericKubernetesResource env = client.resource(validEnvironment("storage")).create();

    set(env, "spec.database.storage", "40Gi");
    GenericKubernetesResource grown = client.resource(env).update();
    set(grown, "spec.database.storage", "10Gi");

    assertThatThrownBy(() -> client.resource(grown).update())
        .hasMessageContaining(
            "spec.database.storage: Forbidden: database storage may grow but never shrink");
  }

  @Test
  void storageClassCannotChangeOnceTheDatabaseExists() {
    GenericKubernetesResource env = validEnvironment("storage-class");
    set(env, "spec.database.storageClassName", "fast");
    GenericKubernetesResource created = client.resource(env).create();
    set(created, "spec.database.storageClassName", "slow");

    assertThatThrownBy(() -> client.resource(created).update())
        .hasMessageContaining("database storageClassName cannot change once the database exists");
  }

  @Test
  void schemaDefaultsAreFilledInByTheApiServer() {
    GenericKubernetesResource minimal =
        toGeneric(Samples.objects(Samples.samplesDir().resolve("minimal.yaml")).get(1));
    minimal.getMetadata().setNamespace(NS);

    GenericKubernetesResource stored = client.resource(minimal).create();

    assertThat((Map<String, Object>) stored.get("spec", "app"))
        .containsEntry("port", 8080)
        .containsEntry("metricsPath", "/actuator/prometheus");
    assertThat((Map<String, Object>) stored.get("spec", "release"))
        .containsEntry("autoPromote", true)
        .containsEntry("scaleDownDelay", "10m");
  }

  @Test
  void everySampleIsAcceptedAsWritten() {
    for (var file : Samples.files()) {
      for (var object : Samples.objects(file)) {
        assertThat(client.resource(toGeneric(object)).serverSideApply())
            .as(file + " " + object.getKind())
            .isNotNull();
      }
    }
  }

  private static GenericKubernetesResource validEnvironment(String name) {
    GenericKubernetesResource env =
        toGeneric(Samples.appEnvironment(Samples.samplesDir().resolve("prod.yaml")));
    env.getMetadata().setName(name);
    env.getMetadata().setNamespace(NS);
    env.getMetadata().setAnnotations(null);
    return env;
  }

  private static GenericKubernetesResource toGeneric(Object object) {
    return Serialization.jsonMapper().convertValue(object, GenericKubernetesResource.class);
  }

  /** Sets (or removes, for null) the value at a dotted path, creating maps on the way. */
  @SuppressWarnings("unchecked")
  private static void set(GenericKubernetesResource resource, String path, Object value) {
    List<String> keys = new ArrayList<>(List.of(path.split("\\.")));
    String last = keys.remove(keys.size() - 1);
    Map<String, Object> node = resource.getAdditionalProperties();
    for (String key : keys) {
      node = (Map<String, Object>) node.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }
    if (value == null) {
      node.remove(last);
    } else {
      node.put(last, value);
    }
  }
}
