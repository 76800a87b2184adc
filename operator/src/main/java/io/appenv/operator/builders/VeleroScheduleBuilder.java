package io.appenv.operator.builders;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.VeleroBackupSpec;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.upstream.VeleroSchedule;
import io.appenv.operator.upstream.VeleroScheduleSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Velero Schedule that snapshots the environment: every object labelled with its instance in
 * its namespace, volumes included, on the backup schedule, kept for the retention period.
 */
public final class VeleroScheduleBuilder {
  private VeleroScheduleBuilder() {}

  public static boolean isEnabled(AppEnvironment env) {
    return Optional.ofNullable(env.getSpec().getBackup())
        .map(BackupSpec::getVelero)
        .map(VeleroBackupSpec::getEnabled)
        .orElse(false);
  }

  public static VeleroSchedule build(AppEnvironment env) {
    BackupSpec backup = env.getSpec().getBackup();
    VeleroBackupSpec velero = backup.getVelero();
    VeleroSchedule schedule = new VeleroSchedule();
    // Another namespace: no owner reference is possible, the
    // operator deletes it itself (finalizer).
    schedule.setMetadata(
        new ObjectMetaBuilder()
            .withName(Names.veleroSchedule(env))
            .withNamespace(velero.getNamespace())
            .withLabels(Labels.common(env, Labels.COMPONENT_BACKUP))
            .build());
    var template =
        new VeleroScheduleSpec.Template(
            List.of(env.getMetadata().getNamespace()),
            new LabelSelectorBuilder()
                .withMatchLabels(Map.of(Labels.INSTANCE, Names.app(env)))
                .build(),
            backup.getRetention(),
            velero.getStorageLocation(),
            true);
    // Owner references in the Backup would tie it to objects
    // that a restore into a new cluster lacks.
    schedule.setSpec(new VeleroScheduleSpec(backup.getSchedule(), false, template));
    return schedule;
  }
}
