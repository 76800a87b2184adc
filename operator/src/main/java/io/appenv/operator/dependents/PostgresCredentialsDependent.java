package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresCredentialsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * The database's generated passwords. Created once, never updated: regenerating would lock the app
 * out of a database whose roles know the old passwords. Not garbage-collected by JOSDK: the builder
 * adds an owner only under deletionPolicy Delete.
 */
public class PostgresCredentialsDependent
    extends KubernetesDependentResource<Secret, AppEnvironment>
    implements Creator<Secret, AppEnvironment> {
  public PostgresCredentialsDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresCredentialsBuilder.build(primary, Passwords.generate());
  }
}
