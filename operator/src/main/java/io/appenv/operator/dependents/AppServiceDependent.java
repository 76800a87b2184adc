package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.builders.AppServiceBuilder;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.writers.TrafficSwitch;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * The main Service: traffic goes where the release plan serves (blue/green), or to the Rolling
 * Deployment. The newest stored status and the Service's selector are read here, at the moment of
 * applying, not in the snapshot: they guard against the Alertmanager webhook's rollback landing
 * between the snapshot and this write (see {@link TrafficSwitch#colorToServe}).
 */
public class AppServiceDependent extends RecordingDependent<Service> {
  public AppServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return WorkflowInputs.of(context)
        .release()
        .map(
            plan ->
                TrafficSwitch.service(
                    primary,
                    TrafficSwitch.colorToServe(
                        plan.serving(),
                        activeColor(primary),
                        activeColor(
                            context
                                .getPrimaryCache()
                                .get(ResourceID.fromResource(primary))
                                .orElse(primary)),
                        selectedColor(primary, context))))
        .orElseGet(() -> AppServiceBuilder.build(primary));
  }

  private static String activeColor(AppEnvironment env) {
    return Optional.ofNullable(env.getStatus())
        .map(AppEnvironmentStatus::getActiveColor)
        .orElse(null);
  }

  private static String selectedColor(AppEnvironment primary, Context<AppEnvironment> context) {
    return context
        .getSecondaryResourcesAsStream(Service.class)
        .filter(s -> Names.service(primary).equals(s.getMetadata().getName()))
        .findFirst()
        .map(
            s ->
                s.getSpec().getSelector() == null
                    ? null
                    : s.getSpec().getSelector().get(Labels.COLOR))
        .orElse(null);
  }
}
