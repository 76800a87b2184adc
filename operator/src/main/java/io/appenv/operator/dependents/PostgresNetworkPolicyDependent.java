package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresNetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Who may reach the database: the app, the backups and the roles Job of its environment. */
public class PostgresNetworkPolicyDependent extends RecordingDependent<NetworkPolicy> {
  public PostgresNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresNetworkPolicyBuilder.build(primary);
  }
}
