package io.appenv.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader labels its own Pod {@code appenv.io/leader=true}, and the webhook's Service selects
 * that label, so Alertmanager's calls reach the one replica that acts on them (Patroni labels its
 * primary the same way). Without it, half of the first deliveries would land on the standby and
 * wait for Alertmanager's retry. A new leader also takes the label from any other Pod: a leader
 * that lost its Lease exits, but one that hangs would keep it.
 */
public class LeaderPodLabel {
  public static final String LABEL = "appenv.io/leader";
  private static final Logger log = LoggerFactory.getLogger(LeaderPodLabel.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String podName;

  /**
   * @param podName this replica's Pod (the downward API's metadata.name); blank outside a Pod, and
   *     then nothing is labelled
   */
  public LeaderPodLabel(KubernetesClient client, String namespace, String podName) {
    this.client = client;
    this.namespace = namespace;
    this.podName = podName;
  }

  /** This replica leads now: the label moves to its Pod. */
  public void claim() {
    if (podName.isBlank()) {
      return;
    }
    try {
      for (Pod other :
          client.pods().inNamespace(namespace).withLabel(LABEL, "true").list().getItems()) {
        if (!podName.equals(other.getMetadata().getName())) {
          unlabel(other.getMetadata().getName());
        }
      }
      client
          .pods()
          .inNamespace(namespace)
          .withName(podName)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"true\"}}}");
      log.info("Leading: Pod {}/{} labelled {}=true", namespace, podName, LABEL);
    } catch (KubernetesClientException e) {
      // The replica leads anyway; only the webhook's Service misses it until the next leader.
      log.warn("Cannot label Pod {}/{} as the leader: {}", namespace, podName, e.getMessage());
    }
  }

  /** This replica stopped leading: its Pod leaves the webhook's Service. */
  public void release() {
    if (podName.isBlank()) {
      return;
    }
    try {
      boolean labelled =
          client.pods().inNamespace(namespace).withLabel(LABEL, "true").list().getItems().stream()
              .anyMatch(pod -> podName.equals(pod.getMetadata().getName()));
      if (labelled) {
        unlabel(podName);
      }
    } catch (KubernetesClientException e) {
      log.warn("Cannot remove {} from Pod {}/{}: {}", LABEL, namespace, podName, e.getMessage());
    }
  }

  /** A JSON patch: a merge patch's null would do, but fabric8's mock server keeps the key. */
  private void unlabel(String pod) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"remove\",\"path\":\"/metadata/labels/" + LABEL.replace("/", "~1") + "\"}]");
  }
}
