package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.DeletionPolicy;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secret {@code <name>-db-credentials}. It is created once and never rewritten. With the Retain
 * deletion policy it has no owner, so it outlives the AppEnvironment together with the data volume
 * whose roles know these passwords.
 */
public final class PostgresCredentialsBuilder {
  private PostgresCredentialsBuilder() {}

  /**
   * @param passwords superuser, owner, app and readonly passwords, by their Secret keys
   */
  public static Secret build(AppEnvironment env, Map<String, String> passwords) {
    Map<String, String> data = new LinkedHashMap<>(passwords);
    data.put("database", Postgres.databaseName(env));
    data.put("host", Postgres.host(env));
    data.put("port", String.valueOf(Postgres.PORT));
    data.put("jdbc-url", Postgres.jdbcUrl(env));
    SecretBuilder secret =
        new SecretBuilder()
            .withMetadata(
                Metadata.of(env, Names.databaseCredentials(env), Labels.COMPONENT_DATABASE))
            .withType("Opaque")
            .withStringData(data);
    if (Postgres.spec(env).getDeletionPolicy() == DeletionPolicy.Delete) {
      secret.editMetadata().withOwnerReferences(Owners.of(env)).endMetadata();
    }
    return secret.build();
  }
}
