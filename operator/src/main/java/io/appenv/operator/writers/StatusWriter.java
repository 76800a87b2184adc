package io.appenv.operator.writers;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The one writer of an AppEnvironment's status, for the reconciler and the Alertmanager webhook
 * alike: a PUT of the status subresource with the resourceVersion the new status was computed from,
 * whatever appenv.server-side-apply says. A concurrent write (the webhook's rollback, or the
 * reconciler's) makes it fail with 409, and the caller looks again instead of overwriting a
 * decision it did not see. (JOSDK's own status patch drops the resourceVersion when server-side
 * apply is off.)
 */
public class StatusWriter {
  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** The environment as stored after the write; {@code env} itself is not changed. */
  public AppEnvironment write(AppEnvironment env, AppEnvironmentStatus status) {
    if (env.getMetadata().getResourceVersion() == null) {
      throw new IllegalArgumentException(
          "a status is written over the resourceVersion it was computed from");
    }
    AppEnvironment next = Serialization.clone(env);
    next.setStatus(status);
    return client.resource(next).updateStatus();
  }
}
