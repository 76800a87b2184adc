package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * An owner reference to the environment, for the objects whose ownership depends on the deletion
 * policy.
 */
final class Owners {
  private Owners() {}

  static OwnerReference of(AppEnvironment env) {
    return new OwnerReferenceBuilder()
        .withApiVersion(env.getApiVersion())
        .withKind(env.getKind())
        .withName(env.getMetadata().getName())
        .withUid(env.getMetadata().getUid())
        .build();
  }
}
