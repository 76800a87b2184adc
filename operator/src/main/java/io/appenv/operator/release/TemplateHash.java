package io.appenv.operator.release;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short hash of a pod template: a change of image or configuration gives a new hash, hence a new release. */
public final class TemplateHash {
  public static final String ANNOTATION = "platform.appenv.io/template-hash";

  private TemplateHash() {}

  public static String of(PodTemplateSpec template) {
    try {
      byte[] json = Serialization.asJson(template).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
