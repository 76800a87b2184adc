package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresRolesJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Applies the roles script to the running database: once per script version and credentials Secret,
 * which the Job's name carries.
 */
public class PostgresRolesJobDependent extends KubernetesDependentResource<Job, AppEnvironment>
    implements Creator<Job, AppEnvironment> {
  public PostgresRolesJobDependent() {
    super(Job.class);
  }

  @Override
  protected Job desired(AppEnvironment primary, Context<AppEnvironment> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    return PostgresRolesJobBuilder.build(
        primary, inputs.postgresImage(), inputs.snapshot().credentialsUid());
  }

  /** The database answers and its credentials exist: the Job can connect. */
  public static class DatabaseRunning implements Condition<Job, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<Job, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      var snapshot = WorkflowInputs.of(context).snapshot();
      return snapshot.credentialsUid() != null
          && snapshot.database() != null
          && snapshot.database().ready();
    }
  }
}
