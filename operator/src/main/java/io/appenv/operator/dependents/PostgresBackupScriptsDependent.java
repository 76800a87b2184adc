package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The backup and restore scripts the backup Jobs run. */
public class PostgresBackupScriptsDependent extends RecordingDependent<ConfigMap> {
  public PostgresBackupScriptsDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresBackupBuilder.scripts(primary);
  }
}
