package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The logical backups exist while spec.backup asks for them and there is a database to dump. */
public class BackupEnabledCondition<R extends HasMetadata> implements Condition<R, AppEnvironment> {
  @Override
  public boolean isMet(
      DependentResource<R, AppEnvironment> dependent,
      AppEnvironment primary,
      Context<AppEnvironment> context) {
    return PostgresBackupBuilder.isEnabled(primary);
  }
}
