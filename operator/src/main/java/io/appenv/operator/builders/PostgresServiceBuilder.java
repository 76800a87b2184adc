package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The database's Services: a client one the app connects to, and the headless one the StatefulSet
 * needs.
 */
public final class PostgresServiceBuilder {
  private PostgresServiceBuilder() {}

  public static Service client(AppEnvironment env) {
    return build(env, Names.database(env), false);
  }

  public static Service headless(AppEnvironment env) {
    return build(env, Names.databaseHeadless(env), true);
  }

  private static Service build(AppEnvironment env, String name, boolean headless) {
    ServiceBuilder service =
        new ServiceBuilder()
            .withMetadata(Metadata.of(env, name, Labels.COMPONENT_DATABASE))
            .withNewSpec()
            .withSelector(Labels.selector(env, Labels.COMPONENT_DATABASE))
            .addNewPort()
            .withName("postgres")
            .withProtocol("TCP")
            .withPort(Postgres.PORT)
            .withNewTargetPort("postgres")
            .endPort()
            .endSpec();
    if (headless) {
      service.editSpec().withClusterIP("None").withPublishNotReadyAddresses(true).endSpec();
    }
    return service.build();
  }
}
