package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresServiceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The address the app and the backups connect to. */
public class PostgresServiceDependent extends RecordingDependent<Service> {
  public PostgresServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresServiceBuilder.client(primary);
  }
}
