package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Color;
import io.appenv.operator.release.ReleasePlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.Optional;

/**
 * The release plan the reconciler made for this reconcile, handed to the dependents through the
 * context.
 */
public final class ReleasePlans {
  private ReleasePlans() {}

  public static void put(Context<AppEnvironment> context, ReleasePlan plan) {
    context.managedWorkflowAndDependentResourceContext().put(ReleasePlan.class, plan);
  }

  public static Optional<ReleasePlan> find(Context<AppEnvironment> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(ReleasePlan.class, ReleasePlan.class);
  }

  /** A colour's Deployment exists only while the plan has it; otherwise the workflow deletes it. */
  abstract static class ColorPlanned<R extends HasMetadata>
      implements Condition<R, AppEnvironment> {
    private final Color color;

    ColorPlanned(Color color) {
      this.color = color;
    }

    @Override
    public boolean isMet(
        DependentResource<R, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return find(context).map(plan -> plan.deployments().containsKey(color)).orElse(false);
    }
  }

  public static class BluePlanned<R extends HasMetadata> extends ColorPlanned<R> {
    public BluePlanned() {
      super(Color.BLUE);
    }
  }

  public static class GreenPlanned<R extends HasMetadata> extends ColorPlanned<R> {
    public GreenPlanned() {
      super(Color.GREEN);
    }
  }

  /** The preview Service exists for blue/green environments only. */
  public static class BlueGreenPlanned<R extends HasMetadata>
      implements Condition<R, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<R, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return find(context).isPresent();
    }
  }
}
