package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.ColorDeploymentBuilder;
import io.appenv.operator.builders.TemplateHash;
import io.appenv.operator.names.Color;
import io.appenv.operator.release.ReleasePlan;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

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
        ReleasePlans.find(context).map(p -> p.deployments().get(color)).orElse(null);
    if (plan == null) {
      plan = unplanned(primary);
    }
    return ColorDeploymentBuilder.build(
        primary, color, plan.template(), plan.templateHash(), plan.replicas());
  }

  private static ReleasePlan.ColorPlan unplanned(AppEnvironment primary) {
    var template = ColorDeploymentBuilder.specTemplate(primary);
    return new ReleasePlan.ColorPlan(template, TemplateHash.of(template), 0);
  }

  public static class Blue extends ColorDeploymentDependent {
    public Blue() {
      super(Color.BLUE);
    }
  }

  public static class Green extends ColorDeploymentDependent {
    public Green() {
      super(Color.GREEN);
    }
  }
}
