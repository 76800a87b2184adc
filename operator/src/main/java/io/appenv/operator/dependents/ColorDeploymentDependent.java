package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.ColorDeploymentBuilder;
import io.appenv.operator.builders.TemplateHash;
import io.appenv.operator.names.Color;
import io.appenv.operator.release.ReleasePlan;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** One colour's Deployment, as the release plan of this reconcile says. */
public abstract class ColorDeploymentDependent extends RecordingDependent<Deployment> {
  private final Color color;

  ColorDeploymentDependent(Color color) {
    super(Deployment.class);
    this.color = color;
  }

  /**
   * JOSDK also asks for the desired object when the colour is not planned, to find the one to
   * delete; then any object of the right name does.
   */
  @Override
  protected Deployment desired(AppEnvironment primary, Context<AppEnvironment> context) {
    ReleasePlan.ColorPlan plan =
        WorkflowInputs.of(context)
            .release()
            .map(p -> p.deployments().get(color))
            .orElseGet(() -> unplanned(primary));
    return ColorDeploymentBuilder.build(
        primary, color, plan.template(), plan.templateHash(), plan.replicas());
  }

  private static ReleasePlan.ColorPlan unplanned(AppEnvironment primary) {
    var template = ColorDeploymentBuilder.specTemplate(primary);
    return new ReleasePlan.ColorPlan(template, TemplateHash.of(template), 0);
  }

  /** A colour's Deployment exists only while the plan has it; otherwise the workflow deletes it. */
  abstract static class Planned implements Condition<Deployment, AppEnvironment> {
    private final Color color;

    Planned(Color color) {
      this.color = color;
    }

    @Override
    public boolean isMet(
        DependentResource<Deployment, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return WorkflowInputs.of(context)
          .release()
          .map(plan -> plan.deployments().containsKey(color))
          .orElse(false);
    }
  }

  public static class Blue extends ColorDeploymentDependent {
    public Blue() {
      super(Color.BLUE);
    }
  }

  public static class BluePlanned extends Planned {
    public BluePlanned() {
      super(Color.BLUE);
    }
  }

  public static class Green extends ColorDeploymentDependent {
    public Green() {
      super(Color.GREEN);
    }
  }

  public static class GreenPlanned extends Planned {
    public GreenPlanned() {
      super(Color.GREEN);
    }
  }
}
