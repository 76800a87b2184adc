package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * The metadata every owned object starts from: its name, the environment's namespace, the common
 * labels.
 */
public final class Metadata {
  private Metadata() {}

  public static ObjectMeta of(AppEnvironment env, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(env.getMetadata().getNamespace())
        .withLabels(Labels.common(env, component))
        .build();
  }
}
