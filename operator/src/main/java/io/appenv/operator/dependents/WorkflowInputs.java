package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.MonitoringLabels;
import io.appenv.operator.observe.Snapshot;
import io.appenv.operator.release.ReleasePlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * What the workflow's dependents and conditions read in one reconcile, handed to them through
 * JOSDK's workflow context: the snapshot taken before anything was applied, the release plan made
 * from it, the operator's settings, and where they note what they changed.
 *
 * @param plan the blue/green release plan, or null for the Rolling strategy
 * @param postgresImage the image every postgres pod of the environment runs, or null without a
 *     database
 */
public record WorkflowInputs(
    Snapshot snapshot,
    ReleasePlan plan,
    String postgresImage,
    MonitoringLabels monitoringLabels,
    ObjectChanges changes) {

  public void handTo(Context<AppEnvironment> context) {
    context.managedWorkflowAndDependentResourceContext().put(WorkflowInputs.class, this);
  }

  static WorkflowInputs of(Context<AppEnvironment> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(WorkflowInputs.class, WorkflowInputs.class);
  }

  Optional<ReleasePlan> release() {
    return Optional.ofNullable(plan);
  }
}
