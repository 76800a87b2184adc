package io.appenv.operator.dependents;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.Postgres;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.appenv.operator.builders.PostgresCredentialsBuilder;
import io.appenv.operator.builders.PostgresImage;
import io.appenv.operator.builders.PostgresInitScriptBuilder;
import io.appenv.operator.builders.PostgresNetworkPolicyBuilder;
import io.appenv.operator.builders.PostgresPodDisruptionBudgetBuilder;
import io.appenv.operator.builders.PostgresRolesJobBuilder;
import io.appenv.operator.builders.PostgresServiceBuilder;
import io.appenv.operator.builders.PostgresStatefulSetBuilder;
import io.appenv.operator.informers.OwnFieldsItemStore;
import io.appenv.operator.informers.StatusUpdatesIgnored;
import io.appenv.operator.names.Labels;
import io.appenv.operator.observe.DatabaseState;
import io.appenv.operator.release.ReleasePlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.Optional;

/** The dependents of the database: one per owned object, each calling its builder. */
public final class DatabaseDependents {
  private DatabaseDependents() {}

  /** The database objects exist only while spec.database does. */
  public static class Enabled<R extends HasMetadata> implements Condition<R, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<R, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return Postgres.isEnabled(primary);
    }
  }

  /**
   * Created once, never updated: regenerating would lock the app out of a database whose roles know
   * the old passwords. Not garbage-collected by JOSDK: the builder adds an owner only under
   * deletionPolicy Delete.
   */
  @KubernetesDependent(
      informer =
          @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = OwnFieldsItemStore.class))
  public static class Credentials extends KubernetesDependentResource<Secret, AppEnvironment>
      implements Creator<Secret, AppEnvironment> {
    public Credentials() {
      super(Secret.class);
    }

    @Override
    protected Secret desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresCredentialsBuilder.build(primary, Passwords.generate());
    }
  }

  public static class InitScript extends RecordingDependent<ConfigMap> {
    public InitScript() {
      super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresInitScriptBuilder.build(primary);
    }
  }

  @KubernetesDependent(
      informer =
          @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = OwnFieldsItemStore.class))
  public static class DatabaseStatefulSet extends RecordingDependent<StatefulSet> {
    public DatabaseStatefulSet() {
      super(StatefulSet.class);
    }

    @Override
    protected StatefulSet desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresStatefulSetBuilder.build(primary, imageToRun(primary, context));
    }
  }

  public static class ClientService extends RecordingDependent<Service> {
    public ClientService() {
      super(Service.class);
    }

    @Override
    protected Service desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresServiceBuilder.client(primary);
    }
  }

  public static class HeadlessService extends RecordingDependent<Service> {
    public HeadlessService() {
      super(Service.class);
    }

    @Override
    protected Service desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresServiceBuilder.headless(primary);
    }
  }

  /** The logical backup exists while spec.backup asks for it and there is a database to dump. */
  public static class BackupEnabled<R extends HasMetadata> implements Condition<R, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<R, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return PostgresBackupBuilder.isEnabled(primary);
    }
  }

  public static class BackupScripts extends RecordingDependent<ConfigMap> {
    public BackupScripts() {
      super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresBackupBuilder.scripts(primary);
    }
  }

  /**
   * Created once: a claim's size is its only field that may change, and growing it is left to
   * people.
   */
  @KubernetesDependent(
      informer =
          @Informer(
              labelSelector = Labels.MANAGED_SELECTOR,
              itemStore = OwnFieldsItemStore.class,
              onUpdateFilter = StatusUpdatesIgnored.class))
  public static class BackupVolume
      extends KubernetesDependentResource<PersistentVolumeClaim, AppEnvironment>
      implements Creator<PersistentVolumeClaim, AppEnvironment> {
    public BackupVolume() {
      super(PersistentVolumeClaim.class);
    }

    @Override
    protected PersistentVolumeClaim desired(
        AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresBackupBuilder.volume(primary);
    }
  }

  @KubernetesDependent(
      informer =
          @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = OwnFieldsItemStore.class))
  public static class BackupCronJob extends RecordingDependent<CronJob> {
    public BackupCronJob() {
      super(CronJob.class);
    }

    @Override
    protected CronJob desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresBackupBuilder.cronJob(primary, imageToRun(primary, context));
    }
  }

  public static class DisruptionBudget extends RecordingDependent<PodDisruptionBudget> {
    public DisruptionBudget() {
      super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresPodDisruptionBudgetBuilder.build(primary);
    }
  }

  /** Created when the release plan asks for it; a Job is never changed once it runs. */
  public static class PreReleaseBackupJob extends KubernetesDependentResource<Job, AppEnvironment>
      implements Creator<Job, AppEnvironment> {
    public PreReleaseBackupJob() {
      super(Job.class);
    }

    @Override
    protected Job desired(AppEnvironment primary, Context<AppEnvironment> context) {
      String name =
          ReleasePlans.find(context)
              .map(ReleasePlan::backupJob)
              .orElse(primary.getMetadata().getName() + "-prerelease");
      return PostgresBackupBuilder.preReleaseJob(primary, imageToRun(primary, context), name);
    }
  }

  /**
   * Applies the roles script to the running database: once per script version and credentials
   * Secret.
   */
  public static class RolesJob extends KubernetesDependentResource<Job, AppEnvironment>
      implements Creator<Job, AppEnvironment> {
    public RolesJob() {
      super(Job.class);
    }

    @Override
    protected Job desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresRolesJobBuilder.build(
          primary,
          imageToRun(primary, context),
          credentials(context).map(secret -> secret.getMetadata().getUid()).orElseThrow());
    }
  }

  /** The database answers and its credentials exist: the roles Job can connect. */
  public static class DatabaseRunning implements Condition<Job, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<Job, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return Postgres.isEnabled(primary)
          && credentials(context).isPresent()
          && DatabaseState.of(primary, runningDatabase(context)).ready();
    }
  }

  private static Optional<Secret> credentials(Context<AppEnvironment> context) {
    return context.getSecondaryResource(Secret.class);
  }

  private static StatefulSet runningDatabase(Context<AppEnvironment> context) {
    return context.getSecondaryResource(StatefulSet.class).orElse(null);
  }

  /**
   * Every object of the postgres image runs the major the database runs, not a refused new one,
   * from the repository the operator is set to use.
   */
  private static String imageToRun(AppEnvironment primary, Context<AppEnvironment> context) {
    PostgresImage image =
        context
            .managedWorkflowAndDependentResourceContext()
            .getMandatory(PostgresImage.class, PostgresImage.class);
    return image.of(DatabaseState.majorToRun(primary, runningDatabase(context)));
  }

  /** The plan names a pre-release backup Job to create. */
  public static class PreReleaseBackupNeeded implements Condition<Job, AppEnvironment> {
    @Override
    public boolean isMet(
        DependentResource<Job, AppEnvironment> dependent,
        AppEnvironment primary,
        Context<AppEnvironment> context) {
      return ReleasePlans.find(context).map(ReleasePlan::backupJob).isPresent();
    }
  }

  public static class DatabaseNetworkPolicy extends RecordingDependent<NetworkPolicy> {
    public DatabaseNetworkPolicy() {
      super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(AppEnvironment primary, Context<AppEnvironment> context) {
      return PostgresNetworkPolicyBuilder.build(primary);
    }
  }
}
