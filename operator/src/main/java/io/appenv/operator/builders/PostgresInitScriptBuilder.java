package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The ConfigMap with the script that creates the owner, app and readonly roles on first start. */
public final class PostgresInitScriptBuilder {
  public static final String SCRIPT = "10-roles.sh";
  static final String ROLES_SCRIPT = load("/postgres/" + SCRIPT);

  private PostgresInitScriptBuilder() {}

  public static ConfigMap build(AppEnvironment env) {
    return new ConfigMapBuilder()
        .withMetadata(Metadata.of(env, Names.databaseInit(env), Labels.COMPONENT_DATABASE))
        .addToData(SCRIPT, ROLES_SCRIPT)
        .build();
  }

  static String load(String resource) {
    try (InputStream in = PostgresInitScriptBuilder.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the operator jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
