package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresServiceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The StatefulSet's governing Service, which gives its pod a stable DNS name. */
public class PostgresHeadlessServiceDependent extends RecordingDependent<Service> {
  public PostgresHeadlessServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresServiceBuilder.headless(primary);
  }
}
