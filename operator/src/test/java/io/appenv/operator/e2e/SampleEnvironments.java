package io.appenv.operator.e2e;

import io.appenv.operator.Samples;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.DeletionPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The e2e tests' AppEnvironments, made from samples/ and changed where a test needs it, and the
 * namespaces they go in. Nothing here waits: the caller waits for the state it needs.
 */
final class SampleEnvironments {
  private SampleEnvironments() {}

  /** A namespace, applied (so it may exist already). */
  static void namespace(KubernetesClient client, String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  /** Every object of a samples/ file, server-side applied as a user would; its AppEnvironment. */
  static AppEnvironment apply(KubernetesClient client, String file) {
    Path path = Samples.samplesDir().resolve(file);
    for (HasMetadata object : Samples.objects(path)) {
      client.resource(object).serverSideApply();
    }
    return Samples.appEnvironment(path);
  }

  /** The AppEnvironment of a samples/ file, moved to {@code namespace}, not created. */
  static AppEnvironment sample(String file, String namespace) {
    AppEnvironment env = Samples.appEnvironment(Samples.samplesDir().resolve(file));
    env.getMetadata().setNamespace(namespace);
    return env;
  }

  /**
   * samples/dev.yaml (blue/green, a database, backups) in {@code namespace}, changed by {@code
   * change}, not created.
   */
  static AppEnvironment dev(String namespace, Consumer<AppEnvironment> change) {
    AppEnvironment env = sample("dev.yaml", namespace);
    change.accept(env);
    return env;
  }

  /** The dev sample, changed, created in {@code namespace} (made if missing). */
  static LiveEnvironment createDev(
      KubernetesClient client, String namespace, Consumer<AppEnvironment> change) {
    namespace(client, namespace);
    AppEnvironment created = client.resource(dev(namespace, change)).create();
    return new LiveEnvironment(client, namespace, created.getMetadata().getName());
  }

  /** samples/minimal.yaml (Rolling, a default database) named {@code name} in {@code namespace}. */
  static AppEnvironment minimal(String namespace, String name) {
    AppEnvironment env = sample("minimal.yaml", namespace);
    env.getMetadata().setName(name);
    return env;
  }

  /** The minimal sample with a 1Gi database deleted or kept with it as {@code policy} says. */
  static AppEnvironment withDatabase(String namespace, String name, DeletionPolicy policy) {
    AppEnvironment env = minimal(namespace, name);
    DatabaseSpec database = new DatabaseSpec();
    database.setStorage("1Gi");
    database.setDeletionPolicy(policy);
    env.getSpec().setDatabase(database);
    return env;
  }
}
