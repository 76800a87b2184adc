package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.AppNetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

public class AppNetworkPolicyDependent extends RecordingDependent<NetworkPolicy> {
  public AppNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return AppNetworkPolicyBuilder.build(primary);
  }
}
