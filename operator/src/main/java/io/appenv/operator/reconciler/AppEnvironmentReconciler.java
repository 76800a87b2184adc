package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseStrategy;
import io.appenv.operator.builders.Postgres;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.appenv.operator.builders.PostgresImage;
import io.appenv.operator.builders.PostgresRolesJobBuilder;
import io.appenv.operator.builders.VeleroScheduleBuilder;
import io.appenv.operator.dependents.AlertRulesDependent;
import io.appenv.operator.dependents.AppDeploymentDependent;
import io.appenv.operator.dependents.AppNetworkPolicyDependent;
import io.appenv.operator.dependents.AppPodDisruptionBudgetDependent;
import io.appenv.operator.dependents.AppServiceDependent;
import io.appenv.operator.dependents.AppServiceMonitorDependent;
import io.appenv.operator.dependents.ColorDeploymentDependent;
import io.appenv.operator.dependents.DatabaseDependents;
import io.appenv.operator.dependents.MonitoringEnabledCondition;
import io.appenv.operator.dependents.MultipleReplicasCondition;
import io.appenv.operator.dependents.ObjectChanges;
import io.appenv.operator.dependents.PreviewServiceDependent;
import io.appenv.operator.dependents.ReleasePlans;
import io.appenv.operator.dependents.RollingStrategyCondition;
import io.appenv.operator.dependents.VeleroScheduleDependent;
import io.appenv.operator.events.EventRecorder;
import io.appenv.operator.informers.OwnStatusWrites;
import io.appenv.operator.informers.SharedInformers;
import io.appenv.operator.kpi.DeliveryMetrics;
import io.appenv.operator.monitoring.PrometheusCatalog;
import io.appenv.operator.monitoring.PrometheusSelection;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.MonitoringLabels;
import io.appenv.operator.names.Names;
import io.appenv.operator.observe.AddOnState;
import io.appenv.operator.observe.AddOns;
import io.appenv.operator.observe.BackupHealth;
import io.appenv.operator.observe.ColorState;
import io.appenv.operator.observe.CrdCatalog;
import io.appenv.operator.observe.DatabaseState;
import io.appenv.operator.observe.JobState;
import io.appenv.operator.observe.PodLookMemory;
import io.appenv.operator.observe.RolloutState;
import io.appenv.operator.observe.StartProblems;
import io.appenv.operator.release.ReleasePlan;
import io.appenv.operator.release.ReleasePlanner;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.appenv.operator.status.Observation;
import io.appenv.operator.status.StatusAggregator;
import io.appenv.operator.upstream.Prometheus;
import io.appenv.operator.upstream.PrometheusRule;
import io.appenv.operator.upstream.ServiceMonitor;
import io.appenv.operator.upstream.VeleroSchedule;
import io.appenv.operator.validation.AlertRulesDryRun;
import io.appenv.operator.validation.SpecValidator;
import io.appenv.operator.writers.StatusWriter;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orchestrates one AppEnvironment: validate the spec, let the workflow apply the owned objects,
 * then report what it observed through the status aggregator.
 */
// Not generation-aware: the manual promotion annotation changes metadata only, and must still wake
// us.
// The resync interval (at least one reconcile every 10 minutes, so a backup that stops succeeding
// is
// noticed without an event) is the operator setting APPENV_RESYNCINTERVAL, applied by
// OperatorFactory.
@ControllerConfiguration(
    name = AppEnvironmentReconciler.NAME,
    generationAwareEventProcessing = false)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(
          name = "app-deployment",
          type = AppDeploymentDependent.class,
          useEventSourceWithName = SharedInformers.DEPLOYMENTS,
          reconcilePrecondition = RollingStrategyCondition.class),
      @Dependent(
          name = "app-blue",
          type = ColorDeploymentDependent.Blue.class,
          useEventSourceWithName = SharedInformers.DEPLOYMENTS,
          reconcilePrecondition = ReleasePlans.BluePlanned.class),
      @Dependent(
          name = "app-green",
          type = ColorDeploymentDependent.Green.class,
          useEventSourceWithName = SharedInformers.DEPLOYMENTS,
          reconcilePrecondition = ReleasePlans.GreenPlanned.class),
      @Dependent(
          name = "app-service",
          type = AppServiceDependent.class,
          useEventSourceWithName = SharedInformers.SERVICES),
      @Dependent(
          name = "app-preview-service",
          type = PreviewServiceDependent.class,
          useEventSourceWithName = SharedInformers.SERVICES,
          reconcilePrecondition = ReleasePlans.BlueGreenPlanned.class),
      @Dependent(
          name = "app-pdb",
          type = AppPodDisruptionBudgetDependent.class,
          useEventSourceWithName = SharedInformers.DISRUPTION_BUDGETS,
          reconcilePrecondition = MultipleReplicasCondition.class),
      @Dependent(
          name = "app-network-policy",
          type = AppNetworkPolicyDependent.class,
          useEventSourceWithName = SharedInformers.NETWORK_POLICIES),
      @Dependent(
          name = "db-credentials",
          type = DatabaseDependents.Credentials.class,
          reconcilePrecondition = DatabaseDependents.Enabled.class),
      @Dependent(
          name = "db-init",
          type = DatabaseDependents.InitScript.class,
          useEventSourceWithName = SharedInformers.CONFIG_MAPS,
          reconcilePrecondition = DatabaseDependents.Enabled.class),
      @Dependent(
          name = "db-statefulset",
          type = DatabaseDependents.DatabaseStatefulSet.class,
          reconcilePrecondition = DatabaseDependents.Enabled.class,
          dependsOn = {"db-credentials", "db-init"}),
      @Dependent(
          name = "db-roles",
          type = DatabaseDependents.RolesJob.class,
          useEventSourceWithName = SharedInformers.JOBS,
          reconcilePrecondition = DatabaseDependents.DatabaseRunning.class,
          dependsOn = {"db-statefulset"}),
      @Dependent(
          name = "db-service",
          type = DatabaseDependents.ClientService.class,
          useEventSourceWithName = SharedInformers.SERVICES,
          reconcilePrecondition = DatabaseDependents.Enabled.class),
      @Dependent(
          name = "db-headless-service",
          type = DatabaseDependents.HeadlessService.class,
          useEventSourceWithName = SharedInformers.SERVICES,
          reconcilePrecondition = DatabaseDependents.Enabled.class),
      @Dependent(
          name = "db-network-policy",
          type = DatabaseDependents.DatabaseNetworkPolicy.class,
          useEventSourceWithName = SharedInformers.NETWORK_POLICIES,
          reconcilePrecondition = DatabaseDependents.Enabled.class),
      @Dependent(
          name = "db-pdb",
          type = DatabaseDependents.DisruptionBudget.class,
          useEventSourceWithName = SharedInformers.DISRUPTION_BUDGETS,
          reconcilePrecondition = DatabaseDependents.Enabled.class),
      @Dependent(
          name = "backup-scripts",
          type = DatabaseDependents.BackupScripts.class,
          useEventSourceWithName = SharedInformers.CONFIG_MAPS,
          reconcilePrecondition = DatabaseDependents.BackupEnabled.class),
      @Dependent(
          name = "backup-volume",
          type = DatabaseDependents.BackupVolume.class,
          reconcilePrecondition = DatabaseDependents.BackupEnabled.class),
      @Dependent(
          name = "prerelease-backup",
          type = DatabaseDependents.PreReleaseBackupJob.class,
          useEventSourceWithName = SharedInformers.JOBS,
          reconcilePrecondition = DatabaseDependents.PreReleaseBackupNeeded.class),
      @Dependent(
          name = "backup-cronjob",
          type = DatabaseDependents.BackupCronJob.class,
          reconcilePrecondition = DatabaseDependents.BackupEnabled.class,
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

  private final StatusAggregator statusAggregator;
  private final EventRecorder events;
  private final StatusEvents statusEvents;
  private final CrdCatalog crds;
  private final DeliveryMetrics deliveryMetrics;
  private final PostgresImage postgresImage;
  private final StatusWriter statusWriter;
  private final AlertRulesDryRun alertRulesAdmission;
  private final Clock clock;
  private final MonitoringLabels monitoringLabels;
  private final PrometheusCatalog prometheuses;
  private final OwnStatusWrites ownStatusWrites = new OwnStatusWrites();
  private final PodLookMemory podLooks = new PodLookMemory();

  public AppEnvironmentReconciler(
      StatusAggregator statusAggregator,
      StatusWriter statusWriter,
      EventRecorder events,
      CrdCatalog crds,
      DeliveryMetrics deliveryMetrics,
      PostgresImage postgresImage,
      AlertRulesDryRun alertRulesAdmission,
      Clock clock) {
    this(
        statusAggregator,
        statusWriter,
        events,
        crds,
        deliveryMetrics,
        postgresImage,
        alertRulesAdmission,
        clock,
        MonitoringLabels.NONE,
        null);
  }

  /**
   * @param monitoringLabels the operator setting's labels for ServiceMonitors and PrometheusRules
   * @param prometheuses the cluster's Prometheuses, to say whether one selects the rules; null:
   *     never asked
   */
  public AppEnvironmentReconciler(
      StatusAggregator statusAggregator,
      StatusWriter statusWriter,
      EventRecorder events,
      CrdCatalog crds,
      DeliveryMetrics deliveryMetrics,
      PostgresImage postgresImage,
      AlertRulesDryRun alertRulesAdmission,
      Clock clock,
      MonitoringLabels monitoringLabels,
      PrometheusCatalog prometheuses) {
    this.monitoringLabels = monitoringLabels;
    this.prometheuses = prometheuses;
    this.statusAggregator = statusAggregator;
    this.statusWriter = statusWriter;
    this.alertRulesAdmission = alertRulesAdmission;
    this.postgresImage = postgresImage;
    this.events = events;
    this.crds = crds;
    this.deliveryMetrics = deliveryMetrics;
    this.clock = clock;
    this.statusEvents = new StatusEvents(events);
  }

  @Override
  public List<EventSource<?, AppEnvironment>> prepareEventSources(
      EventSourceContext<AppEnvironment> context) {
    return SharedInformers.eventSources(context);
  }

  @Override
  public UpdateControl<AppEnvironment> reconcile(
      AppEnvironment env, Context<AppEnvironment> context) {
    deliveryMetrics.observe(env);
    List<String> problems = new ArrayList<>(SpecValidator.validate(env));
    if (problems.isEmpty()) {
      problems.addAll(alertRulesAdmission.problems(env));
    }
    RolloutState rollout = null;
    AddOns addOns = null;
    ReleasePlan release = null;
    Function<AppEnvironment, ReleasePlan> planner = null;
    DatabaseState database = null;
    BackupHealth backup = null;
    if (problems.isEmpty()) {
      var workflow = context.managedWorkflowAndDependentResourceContext();
      ObjectChanges changes = new ObjectChanges();
      workflow.put(ObjectChanges.class, changes);
      workflow.put(PostgresImage.class, postgresImage);
      workflow.put(MonitoringLabels.class, monitoringLabels);
      if (EnvironmentDefaults.strategy(env) == ReleaseStrategy.BlueGreen) {
        planner = planner(env, context);
        release = planner.apply(env);
        ReleasePlans.put(context, release);
      }
      try {
        workflow.reconcileManagedWorkflow().throwAggregateExceptionIfErrorsPresent();
      } finally {
        changes.tell(events, env);
      }
      if (release == null) {
        rollout =
            RolloutState.of(deployment(context, Names.app(env)), EnvironmentDefaults.replicas(env));
      } else {
        release
            .notices()
            .forEach(
                d -> {
                  if (d.warning()) {
                    events.warning(env, d.reason(), d.message());
                  } else {
                    events.normal(env, d.reason(), d.message());
                  }
                });
      }
      boolean monitored = EnvironmentDefaults.monitored(env);
      addOns =
          new AddOns(
              addOnState(monitored, ServiceMonitor.CRD_NAME),
              addOnState(monitored, PrometheusRule.CRD_NAME),
              addOnState(VeleroScheduleBuilder.isEnabled(env), VeleroSchedule.CRD_NAME),
              monitored ? selection(env) : null);
      if (Postgres.isEnabled(env)) {
        database = databaseState(env, context);
      }
      if (PostgresBackupBuilder.isEnabled(env)) {
        backup = backupHealth(env, context.getSecondaryResource(CronJob.class).orElse(null));
      }
    } else {
      log.info(
          "AppEnvironment {}/{} has an invalid spec: {}",
          env.getMetadata().getNamespace(),
          env.getMetadata().getName(),
          problems);
    }
    Observation observation =
        new Observation(
            env.getMetadata().getGeneration(),
            problems,
            rollout,
            addOns,
            release,
            database,
            backup);
    Optional<AppEnvironment> written =
        writeIfChanged(env, statusAggregator.aggregate(env.getStatus(), observation), context);
    written.ifPresent(deliveryMetrics::observe);
    UpdateControl<AppEnvironment> control = UpdateControl.noUpdate();
    if (release != null
        && written.isPresent()
        && !release.decidesAs(planner.apply(written.get()))) {
      // The event of our own status write wakes no reconcile (OwnStatusWrites): when the new
      // status changes what the plan decides, this reconcile asks for the next one itself.
      control.rescheduleAfter(Duration.ZERO);
    } else if (release != null && release.recheckAfter() != null) {
      control.rescheduleAfter(release.recheckAfter());
    }
    return control;
  }

  /**
   * The release plan of this reconcile's observations, for the stored status and again for the
   * status it writes. A release's pods are listed once per look (PodLookMemory).
   */
  private Function<AppEnvironment, ReleasePlan> planner(
      AppEnvironment env, Context<AppEnvironment> context) {
    boolean databaseReady =
        !Postgres.isEnabled(env)
            || DatabaseState.of(env, context.getSecondaryResource(StatefulSet.class).orElse(null))
                .ready();
    Map<Color, ColorState> colors = observeColors(env, context);
    Instant now = clock.instant();
    return current ->
        ReleasePlanner.plan(
            current,
            colors,
            now,
            name -> jobState(context, name),
            databaseReady,
            (color, look) ->
                podLooks.whyNotStarting(
                    env, color, look, () -> whyNotStarting(env, context, color)));
  }

  /** Leaves the watch events of the reconciler's own status writes out (OwnStatusWrites). */
  public OnUpdateFilter<AppEnvironment> ownStatusWritesIgnored() {
    return ownStatusWrites;
  }

  /**
   * Whether a Prometheus selects the rules and the ServiceMonitor; null where the cluster has no
   * Prometheus kind.
   */
  private PrometheusSelection.Result selection(AppEnvironment env) {
    if (prometheuses == null || !crds.isInstalled(Prometheus.CRD_NAME)) {
      return null;
    }
    Map<String, String> labels = monitoringLabels.of(env, Labels.COMPONENT_APP);
    return prometheuses.selection(env.getMetadata().getNamespace(), labels, labels);
  }

  private static Map<Color, ColorState> observeColors(
      AppEnvironment env, Context<AppEnvironment> context) {
    Map<Color, ColorState> observed = new EnumMap<>(Color.class);
    for (Color color : Color.values()) {
      ColorState state = ColorState.of(deployment(context, Names.colorDeployment(env, color)));
      if (state != null) {
        observed.put(color, state);
      }
    }
    return observed;
  }

  /**
   * Read from the API server, not a cache: only a release that has been starting for a while asks,
   * and watching every pod of every environment would cost more than these few lists.
   */
  private static Optional<String> whyNotStarting(
      AppEnvironment env, Context<AppEnvironment> context, Color color) {
    return StartProblems.of(
        context
            .getClient()
            .pods()
            .inNamespace(env.getMetadata().getNamespace())
            .withLabels(Labels.withColor(Labels.selector(env, Labels.COMPONENT_APP), color))
            .list()
            .getItems());
  }

  /** Several dependents watch Deployments, so the one wanted is picked by name. */
  private static Deployment deployment(Context<AppEnvironment> context, String name) {
    return context
        .getSecondaryResourcesAsStream(Deployment.class)
        .filter(d -> name.equals(d.getMetadata().getName()))
        .findFirst()
        .orElse(null);
  }

  @Override
  public ErrorStatusUpdateControl<AppEnvironment> updateErrorStatus(
      AppEnvironment env, Context<AppEnvironment> context, Exception error) {
    if (isConflict(error)) {
      // Someone (often our own last patch) changed the resource since it was read: retry, nothing
      // is wrong.
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    AppEnvironmentStatus next =
        statusAggregator.failed(env.getStatus(), env.getMetadata().getGeneration(), error);
    if (next.equals(env.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    writeIfChanged(env, next, context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * The database, and whether the roles Job of this operator version and credentials Secret has
   * run.
   */
  private static DatabaseState databaseState(AppEnvironment env, Context<AppEnvironment> context) {
    String rolesJob =
        context
            .getSecondaryResource(Secret.class)
            .map(secret -> PostgresRolesJobBuilder.name(env, secret.getMetadata().getUid()))
            .orElse(null);
    boolean applied = rolesJob != null && jobState(context, rolesJob) == JobState.SUCCEEDED;
    return DatabaseState.of(
        env, context.getSecondaryResource(StatefulSet.class).orElse(null), rolesJob, applied);
  }

  private static JobState jobState(Context<AppEnvironment> context, String name) {
    Job job =
        context
            .getSecondaryResourcesAsStream(Job.class)
            .filter(j -> name.equals(j.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    if (job == null) {
      return JobState.ABSENT;
    }
    var status = Optional.ofNullable(job.getStatus());
    if (status.map(s -> s.getSucceeded()).orElse(0) > 0) {
      return JobState.SUCCEEDED;
    }
    boolean failed =
        status.map(s -> s.getConditions()).orElse(List.of()).stream()
            .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
    return failed ? JobState.FAILED : JobState.RUNNING;
  }

  private BackupHealth backupHealth(AppEnvironment env, CronJob cronJob) {
    Instant now = clock.instant();
    Instant since =
        Optional.ofNullable(cronJob)
            .map(c -> c.getMetadata().getCreationTimestamp())
            .map(Instant::parse)
            .orElse(now);
    Instant last =
        Optional.ofNullable(cronJob)
            .map(CronJob::getStatus)
            .map(s -> s.getLastSuccessfulTime())
            .map(Instant::parse)
            .orElse(null);
    return BackupHealth.of(env.getSpec().getBackup().getSchedule(), since, last, now);
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
    alertRulesAdmission.forget(env);
    ownStatusWrites.forget(env);
    podLooks.forget(env);
    return DeleteControl.defaultDelete();
  }

  /**
   * Whether the object of an optional add-on could be installed: asked for, and its CRD present.
   */
  private AddOnState addOnState(boolean enabled, String crdName) {
    if (!enabled) {
      return AddOnState.DISABLED;
    }
    return crds.isInstalled(crdName) ? AddOnState.INSTALLED : AddOnState.CRD_MISSING;
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
