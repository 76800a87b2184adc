package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.builders.AppDeploymentBuilder;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The single app Deployment of the Rolling strategy, updated in place. */
public class AppDeploymentDependent extends RecordingDependent<Deployment> {
  public AppDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AppDeploymentBuilder.build(primary);
  }

  /**
   * The Deployment exists only for the Rolling strategy, and is first created once the database
   * accepts connections: pods started earlier would crash and back off for minutes. Once it exists
   * it stays, whatever the database does.
   */
  public static class RollingStrategy implements Condition<Deployment, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<Deployment, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      var snapshot = WorkflowInputs.of(context).snapshot();
      return EnvironmentDefaults.strategy(primary) == ReleaseStrategy.Rolling
          && (snapshot.appDeploymentExists() || snapshot.databaseReady());
    }
  }
}
