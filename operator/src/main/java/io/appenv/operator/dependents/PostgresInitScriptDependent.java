package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresInitScriptBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The script that creates the database's roles on a new volume, and the roles Job runs again. */
public class PostgresInitScriptDependent extends RecordingDependent<ConfigMap> {
  public PostgresInitScriptDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresInitScriptBuilder.build(primary);
  }
}
