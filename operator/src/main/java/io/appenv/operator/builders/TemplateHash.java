package io.appenv.operator.builders;

import io.appenv.operator.names.ShortHash;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A short hash of a pod template: a change of image or configuration gives a new hash, hence a new
 * release.
 */
public final class TemplateHash {
  public static final String ANNOTATION = "platform.appenv.io/template-hash";

  private TemplateHash() {}

  public static String of(PodTemplateSpec template) {
    return ShortHash.of(Serialization.asJson(template));
  }
}
