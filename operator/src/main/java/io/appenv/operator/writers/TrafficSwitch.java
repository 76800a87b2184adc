package io.appenv.operator.writers;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppServiceBuilder;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.FieldManager;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Objects;

/**
 * Where traffic goes: the main Service of a blue/green environment, described once here. Two
 * writers apply it: the Service's dependent in every reconcile, and the Alertmanager webhook's fast
 * path ({@link #switchTo}) the moment a rollback is decided. Both write the same object with the
 * same field manager, owner reference and write method, so neither undoes the other's write; and
 * {@link #colorToServe} keeps a reconcile planned before a rollback from putting the old selector
 * back.
 */
public class TrafficSwitch {
  private final KubernetesClient client;
  private final boolean serverSideApply;

  public TrafficSwitch(KubernetesClient client, boolean serverSideApply) {
    this.client = client;
    this.serverSideApply = serverSideApply;
  }

  /** The main Service sending traffic to {@code color}. */
  public static Service service(AppEnvironment env, Color color) {
    return AppServiceBuilder.active(env, color);
  }

  /**
   * Where a reconcile sends traffic: where its plan says, unless a rollback was recorded after the
   * plan's input was read and the Service already follows it. A reconcile planned before a rollback
   * would otherwise put the old selector back until its own status write failed with a conflict: a
   * moment of traffic on the rolled-back release.
   *
   * @param planned the colour this reconcile's plan serves
   * @param planInputActive the active colour in the status the plan was made from
   * @param latestActive the active colour in the newest status in the informer's cache
   * @param selected the colour the main Service selects now, or null
   */
  public static Color colorToServe(
      Color planned, String planInputActive, String latestActive, String selected) {
    boolean changedMeanwhile =
        latestActive != null && !Objects.equals(latestActive, planInputActive);
    if (changedMeanwhile && latestActive.equals(selected)) {
      return Color.fromLabel(latestActive);
    }
    return planned;
  }

  /** The webhook's fast path: traffic to {@code color} now, in one write. */
  public void switchTo(AppEnvironment env, Color color) {
    Service desired = service(env, color);
    desired.addOwnerReference(env);
    if (serverSideApply) {
      client.resource(desired).fieldManager(FieldManager.APPENV).forceConflicts().serverSideApply();
    } else {
      // Without server-side apply (as JOSDK's dependents then write): a merge patch of the
      // selector alone, without resourceVersion, so a concurrent reconcile of the Service cannot
      // make the switch fail.
      client
          .services()
          .inNamespace(env.getMetadata().getNamespace())
          .withName(desired.getMetadata().getName())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(
                  Map.of("spec", Map.of("selector", desired.getSpec().getSelector()))));
    }
  }
}
