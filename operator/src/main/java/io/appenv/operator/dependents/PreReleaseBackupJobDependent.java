package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.appenv.operator.release.ReleasePlan;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The backup a release with migrations waits for (release.migrations). Created when the release
 * plan asks for it; a Job is never changed once it runs.
 */
public class PreReleaseBackupJobDependent extends KubernetesDependentResource<Job, AppEnvironment>
    implements Creator<Job, AppEnvironment> {
  public PreReleaseBackupJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job desired(AppEnvironment primary, Context<AppEnvironment> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    String name =
        inputs
            .release()
            .map(ReleasePlan::backupJob)
            .orElse(primary.getMetadata().getName() + "-prerelease");
    return PostgresBackupBuilder.preReleaseJob(primary, inputs.postgresImage(), name);
  }

  /** The plan names a pre-release backup Job to create. */
  public static class Needed implements Condition<Job, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<Job, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return WorkflowInputs.of(context).release().map(ReleasePlan::backupJob).isPresent();
    }
  }
}
