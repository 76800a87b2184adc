package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * The claim the dumps are written to. Created once: a claim's size is its only field that may
 * change, and growing it is left to people.
 */
public class PostgresBackupVolumeDependent
    extends KubernetesDependentResource<PersistentVolumeClaim, AppEnvironment>
    implements Creator<PersistentVolumeClaim, AppEnvironment> {
  public PostgresBackupVolumeDependent() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  protected PersistentVolumeClaim desired(AppEnvironment primary, Context<AppEnvironment> context) {
    return PostgresBackupBuilder.volume(primary);
  }
}
