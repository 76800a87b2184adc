package io.appenv.operator.writers;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The writes that have one owner each, built in one place and shared by the reconciler and the
 * Alertmanager webhook, so both write the status and move traffic the same way.
 *
 * @param status the AppEnvironment's status, over the resourceVersion it was computed from
 * @param traffic the main Service's selector, written as the Service's dependent writes it
 */
public record Writers(StatusWriter status, TrafficSwitch traffic) {
  /**
   * @param serverSideApply how the operator writes its objects (appenv.server-side-apply)
   */
  public static Writers of(KubernetesClient client, boolean serverSideApply) {
    return new Writers(new StatusWriter(client), new TrafficSwitch(client, serverSideApply));
  }
}
