package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.builders.PostgresImage;
import io.appenv.operator.dependents.AlertRulesDependent;
import io.appenv.operator.dependents.AppDeploymentDependent;
import io.appenv.operator.dependents.AppNetworkPolicyDependent;
import io.appenv.operator.dependents.AppPodDisruptionBudgetDependent;
import io.appenv.operator.dependents.AppServiceDependent;
import io.appenv.operator.dependents.AppServiceMonitorDependent;
import io.appenv.operator.dependents.BackupEnabledCondition;
import io.appenv.operator.dependents.ColorDeploymentDependent;
import io.appenv.operator.dependents.DatabaseEnabledCondition;
import io.appenv.operator.dependents.MonitoringEnabledCondition;
import io.appenv.operator.dependents.ObjectChanges;
import io.appenv.operator.dependents.PostgresBackupCronJobDependent;
import io.appenv.operator.dependents.PostgresBackupScriptsDependent;
import io.appenv.operator.dependents.PostgresBackupVolumeDependent;
import io.appenv.operator.dependents.PostgresCredentialsDependent;
import io.appenv.operator.dependents.PostgresHeadlessServiceDependent;
import io.appenv.operator.dependents.PostgresInitScriptDependent;
import io.appenv.operator.dependents.PostgresNetworkPolicyDependent;
import io.appenv.operator.dependents.PostgresPodDisruptionBudgetDependent;
import io.appenv.operator.dependents.PostgresRolesJobDependent;
import io.appenv.operator.dependents.PostgresServiceDependent;
import io.appenv.operator.dependents.PostgresStatefulSetDependent;
import io.appenv.operator.dependents.PreReleaseBackupJobDependent;
import io.appenv.operator.dependents.PreviewServiceDependent;
import io.appenv.operator.dependents.VeleroScheduleDependent;
import io.appenv.operator.dependents.WorkflowInputs;
import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.informers.OwnStatusWrites;
import io.appenv.operator.informers.SharedInformers;
import io.appenv.operator.kpi.DeliveryMetrics;
import io.appenv.operator.monitoring.PrometheusCatalog;
import io.appenv.operator.names.FieldManager;
import io.appenv.operator.names.MonitoringLabels;
import io.appenv.operator.observe.CrdCatalog;
import io.appenv.operator.observe.Snapshot;
import io.appenv.operator.release.ReleasePlan;
import io.appenv.operator.release.ReleasePlanner;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.appenv.operator.status.Observation;
import io.appenv.operator.status.StatusAggregator;
import io.appenv.operator.validation.AlertRulesDryRun;
import io.appenv.operator.validation.SpecValidator;
import io.appenv.operator.writers.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orchestrates one AppEnvironment: validate the spec, observe its objects, plan the release, let
 * the workflow apply the owned objects, observe what was applied, and write the status the
 * aggregator decides from it. Each owned kind has its dependent in {@code dependents/}, with its
 * condition beside it and its builder in {@code builders/}.
 *
 * <p>Not generation-aware: the manual promotion annotation changes metadata only, and must still
 * wake it. The resync interval (at least one reconcile every 10 minutes, so a backup that stops
 * succeeding is noticed without an event) is the operator setting APPENV_RESYNCINTERVAL, applied by
 * OperatorFactory.
 */
@ControllerConfiguration(
    name = AppEnvironmentReconciler.NAME,
    fieldManager = FieldManager.APPENV,
    generationAwareEventProcessing = false)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(
          name = "app-deployment",
          type = AppDeploymentDependent.class,
          useEventSourceWithName = SharedInformers.DEPLOYMENTS,
          reconcilePrecondition = AppDeploymentDependent.RollingStrategy.class),
      @Dependent(
          name = "app-blue",
          type = ColorDeploymentDependent.Blue.class,
          useEventSourceWithName = SharedInformers.DEPLOYMENTS,
          reconcilePrecondition = ColorDeploymentDependent.BluePlanned.class),
      @Dependent(
          name = "app-green",
          type = ColorDeploymentDependent.Green.class,
          useEventSourceWithName = SharedInformers.DEPLOYMENTS,
          reconcilePrecondition = ColorDeploymentDependent.GreenPlanned.class),
      @Dependent(
          name = "app-service",
          type = AppServiceDependent.class,
          useEventSourceWithName = SharedInformers.SERVICES),
      @Dependent(
          name = "app-preview-service",
          type = PreviewServiceDependent.class,
          useEventSourceWithName = SharedInformers.SERVICES,
          reconcilePrecondition = PreviewServiceDependent.BlueGreen.class),
      @Dependent(
          name = "app-pdb",
          type = AppPodDisruptionBudgetDependent.class,
          useEventSourceWithName = SharedInformers.DISRUPTION_BUDGETS,
          reconcilePrecondition = AppPodDisruptionBudgetDependent.MultipleReplicas.class),
      @Dependent(
          name = "app-network-policy",
          type = AppNetworkPolicyDependent.class,
          useEventSourceWithName = SharedInformers.NETWORK_POLICIES),
      @Dependent(
          name = "db-credentials",
          type = PostgresCredentialsDependent.class,
          useEventSourceWithName = SharedInformers.SECRETS,
          reconcilePrecondition = DatabaseEnabledCondition.class),
      @Dependent(
          name = "db-init",
          type = PostgresInitScriptDependent.class,
          useEventSourceWithName = SharedInformers.CONFIG_MAPS,
          reconcilePrecondition = DatabaseEnabledCondition.class),
      @Dependent(
          name = "db-statefulset",
          type = PostgresStatefulSetDependent.class,
          useEventSourceWithName = SharedInformers.STATEFUL_SETS,
          reconcilePrecondition = DatabaseEnabledCondition.class,
          dependsOn = {"db-credentials", "db-init"}),
      @Dependent(
          name = "db-roles",
          type = PostgresRolesJobDependent.class,
          useEventSourceWithName = SharedInformers.JOBS,
          reconcilePrecondition = PostgresRolesJobDependent.DatabaseRunning.class,
          dependsOn = {"db-statefulset"}),
      @Dependent(
          name = "db-service",
          type = PostgresServiceDependent.class,
          useEventSourceWithName = SharedInformers.SERVICES,
          reconcilePrecondition = DatabaseEnabledCondition.class),
      @Dependent(
          name = "db-headless-service",
          type = PostgresHeadlessServiceDependent.class,
          useEventSourceWithName = SharedInformers.SERVICES,
          reconcilePrecondition = DatabaseEnabledCondition.class),
      @Dependent(
          name = "db-network-policy",
          type = PostgresNetworkPolicyDependent.class,
          useEventSourceWithName = SharedInformers.NETWORK_POLICIES,
          reconcilePrecondition = DatabaseEnabledCondition.class),
      @Dependent(
          name = "db-pdb",
          type = PostgresPodDisruptionBudgetDependent.class,
          useEventSourceWithName = SharedInformers.DISRUPTION_BUDGETS,
          reconcilePrecondition = DatabaseEnabledCondition.class),
      @Dependent(
          name = "backup-scripts",
          type = PostgresBackupScriptsDependent.class,
          useEventSourceWithName = SharedInformers.CONFIG_MAPS,
          reconcilePrecondition = BackupEnabledCondition.class),
      @Dependent(
          name = "backup-volume",
          type = PostgresBackupVolumeDependent.class,
          useEventSourceWithName = SharedInformers.VOLUME_CLAIMS,
          reconcilePrecondition = BackupEnabledCondition.class),
      @Dependent(
          name = "prerelease-backup",
          type = PreReleaseBackupJobDependent.class,
          useEventSourceWithName = SharedInformers.JOBS,
          reconcilePrecondition = PreReleaseBackupJobDependent.Needed.class),
      @Dependent(
          name = "backup-cronjob",
          type = PostgresBackupCronJobDependent.class,
          useEventSourceWithName = SharedInformers.CRON_JOBS,
          reconcilePrecondition = BackupEnabledCondition.class,
          dependsOn = {"backup-scripts", "backup-volume", "db-statefulset"}),
      @Dependent(
          name = "app-service-monitor",
          type = AppServiceMonitorDependent.class,
          activationCondition = AppServiceMonitorDependent.CrdPresent.class,
          reconcilePrecondition = MonitoringEnabledCondition.class),
      @Dependent(
          name = "alert-rules",
          type = AlertRulesDependent.class,
          activationCondition = AlertRulesDependent.CrdPresent.class,
          reconcilePrecondition = MonitoringEnabledCondition.class),
      @Dependent(
          name = "velero-schedule",
          type = VeleroScheduleDependent.class,
          activationCondition = VeleroScheduleDependent.CrdPresent.class,
          reconcilePrecondition = VeleroScheduleDependent.Enabled.class)
    })
public class AppEnvironmentReconciler
    implements Reconciler<AppEnvironment>, Cleaner<AppEnvironment> {
  public static final String NAME = "appenvironment";
  private static final Logger log = LoggerFactory.getLogger(AppEnvironmentReconciler.class);

  private final AlertRulesDryRun alertRulesDryRun;
  private final Observer observer;
  private final StatusAggregator statusAggregator;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final StatusEvents statusEvents;
  private final DeliveryMetrics deliveryMetrics;
  private final PostgresImage postgresImage;
  private final MonitoringLabels monitoringLabels;
  private final OwnStatusWrites ownStatusWrites = new OwnStatusWrites();

  /**
   * @param crds which optional CRDs the cluster has
   * @param prometheuses the cluster's Prometheuses, to say whether one selects the rules
   * @param postgresImage the operator setting for the database's image repository
   * @param monitoringLabels the operator setting's labels for ServiceMonitors and PrometheusRules
   */
  public AppEnvironmentReconciler(
      AlertRulesDryRun alertRulesDryRun,
      CrdCatalog crds,
      PrometheusCatalog prometheuses,
      StatusAggregator statusAggregator,
      StatusWriter statusWriter,
      EventRecorder events,
      DeliveryMetrics deliveryMetrics,
      PostgresImage postgresImage,
      MonitoringLabels monitoringLabels,
      Clock clock) {
    this.alertRulesDryRun = alertRulesDryRun;
    this.observer = new Observer(clock, crds, prometheuses, monitoringLabels);
    this.statusAggregator = statusAggregator;
    this.statusWriter = statusWriter;
    this.events = events;
    this.statusEvents = new StatusEvents(events);
    this.deliveryMetrics = deliveryMetrics;
    this.postgresImage = postgresImage;
    this.monitoringLabels = monitoringLabels;
  }

  @Override
  public List<EventSource<?, AppEnvironment>> prepareEventSources(
      EventSourceContext<AppEnvironment> context) {
    return SharedInformers.eventSources(context);
  }

  /**
   * Validate, observe, plan, apply, observe what was applied, aggregate, write. Each step hands the
   * next what it found; only the two observations read the cluster.
   */
  @Override
  public UpdateControl<AppEnvironment> reconcile(
      AppEnvironment env, Context<AppEnvironment> context) {
    List<String> problems = validate(env);
    Observation observation;
    ReleasePlan plan = null;
    if (problems.isEmpty()) {
      Snapshot snapshot = observer.beforeApply(env, context);
      plan =
          EnvironmentDefaults.strategy(env) == ReleaseStrategy.BlueGreen
              ? ReleasePlanner.plan(env, snapshot)
              : null;
      apply(env, context, snapshot, plan);
      observation = observer.afterApply(env, context, snapshot, plan);
    } else {
      log.info(
          "AppEnvironment {}/{} has an invalid spec: {}",
          env.getMetadata().getNamespace(),
          env.getMetadata().getName(),
          problems);
      observation = Observation.invalid(env.getMetadata().getGeneration(), problems);
    }
    Optional<AppEnvironment> written =
        writeIfChanged(env, statusAggregator.aggregate(env.getStatus(), observation), context);
    // The stored history first (a rollback the webhook wrote), then what this reconcile wrote.
    deliveryMetrics.observe(env);
    written.ifPresent(deliveryMetrics::observe);
    // The watch event of our own status write wakes no reconcile (OwnStatusWrites): the plan is
    // settled by the status it writes (ReleasePlannerTest), so only its time-based steps ask again.
    UpdateControl<AppEnvironment> control = UpdateControl.noUpdate();
    if (plan != null && plan.recheckAfter() != null) {
      control.rescheduleAfter(plan.recheckAfter());
    }
    return control;
  }

  /** What the CRD's schema cannot check, and the custom alerts' PromQL where it can be asked. */
  private List<String> validate(AppEnvironment env) {
    List<String> problems = SpecValidator.validate(env);
    return problems.isEmpty() ? alertRulesDryRun.problems(env) : problems;
  }

  /**
   * Lets the workflow apply the owned objects from the snapshot and the plan, then tells in Events
   * what it changed and what the plan decided.
   */
  private void apply(
      AppEnvironment env, Context<AppEnvironment> context, Snapshot snapshot, ReleasePlan plan) {
    ObjectChanges changes = new ObjectChanges();
    new WorkflowInputs(
            snapshot,
            plan,
            snapshot.database() == null
                ? null
                : postgresImage.toRun(env, snapshot.database().runningMajor()),
            monitoringLabels,
            changes)
        .handTo(context);
    try {
      context
          .managedWorkflowAndDependentResourceContext()
          .reconcileManagedWorkflow()
          .throwAggregateExceptionIfErrorsPresent();
    } finally {
      changes.tell(events, env);
    }
    if (plan != null) {
      for (ReleasePlan.Notice notice : plan.notices()) {
        if (notice.warning()) {
          events.warning(env, notice.reason(), notice.message());
        } else {
          events.normal(env, notice.reason(), notice.message());
        }
      }
    }
  }

  /** Leaves the watch events of the reconciler's own status writes out (OwnStatusWrites). */
  public OnUpdateFilter<AppEnvironment> ownStatusWritesIgnored() {
    return ownStatusWrites;
  }

  @Override
  public ErrorStatusUpdateControl<AppEnvironment> updateErrorStatus(
      AppEnvironment env, Context<AppEnvironment> context, Exception error) {
    if (isConflict(error)) {
      // Someone (often our own last patch) changed the resource
      // since it was read: retry, nothing is wrong.
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    writeIfChanged(
        env,
        statusAggregator.failed(env.getStatus(), env.getMetadata().getGeneration(), error),
        context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private static boolean isConflict(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * Deletes what owner references cannot reach (the Velero Schedule in Velero's namespace);
   * everything else goes with the garbage collector, or stays by the deletion policy.
   */
  @Override
  public DeleteControl cleanup(AppEnvironment env, Context<AppEnvironment> context) {
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    deliveryMetrics.forget(env);
    alertRulesDryRun.forget(env);
    ownStatusWrites.forget(env);
    observer.forget(env);
    return DeleteControl.defaultDelete();
  }

  /**
   * The status is written only when it changed, by the one status writer, with the resourceVersion
   * it was computed from: the Alertmanager webhook writes rollbacks to the status too, and a plan
   * made before a rollback must not overwrite it. A conflict only means "look again" (see
   * updateErrorStatus). The written resource goes to JOSDK's cache, so the next reconcile does not
   * compute from the older one.
   */
  private Optional<AppEnvironment> writeIfChanged(
      AppEnvironment env, AppEnvironmentStatus next, Context<AppEnvironment> context) {
    if (next.equals(env.getStatus())) {
      return Optional.empty();
    }
    statusEvents.recordTransitions(env, env.getStatus(), next);
    ownStatusWrites.writing(env, next);
    AppEnvironment written;
    try {
      written = statusWriter.write(env, next);
    } catch (RuntimeException e) {
      ownStatusWrites.forget(env);
      throw e;
    }
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(written), written, env);
    return Optional.of(written);
  }
}
