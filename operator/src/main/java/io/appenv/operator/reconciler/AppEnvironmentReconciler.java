package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.model.AppServiceMonitorBuilder;
import io.appenv.operator.model.EnvironmentDefaults;
import io.appenv.operator.model.SpecValidator;
import io.appenv.operator.status.MonitoringState;
import io.appenv.operator.status.Observation;
import io.appenv.operator.status.RolloutState;
import io.appenv.operator.status.StatusAggregator;
import io.appenv.operator.upstream.ServiceMonitor;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orchestrates one AppEnvironment: validate the spec, let the workflow apply the owned objects,
 * then report what it observed through the status aggregator.
 */
@ControllerConfiguration(name = AppEnvironmentReconciler.NAME)
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "app-deployment", type = AppDeploymentDependent.class,
        reconcilePrecondition = RollingStrategyCondition.class),
    @Dependent(name = "app-service", type = AppServiceDependent.class),
    @Dependent(name = "app-pdb", type = AppPodDisruptionBudgetDependent.class,
        reconcilePrecondition = MultipleReplicasCondition.class),
    @Dependent(name = "app-network-policy", type = AppNetworkPolicyDependent.class),
    @Dependent(name = "app-service-monitor", type = AppServiceMonitorDependent.class,
        activationCondition = ServiceMonitorCrdPresentCondition.class,
        reconcilePrecondition = MonitoringEnabledCondition.class)
})
public class AppEnvironmentReconciler implements Reconciler<AppEnvironment> {
  public static final String NAME = "appenvironment";
  private static final Logger log = LoggerFactory.getLogger(AppEnvironmentReconciler.class);

  private final StatusAggregator statusAggregator;
  private final EventRecorder events;
  private final StatusEvents statusEvents;
  private final CrdCatalog crds;

  public AppEnvironmentReconciler(StatusAggregator statusAggregator, EventRecorder events, CrdCatalog crds) {
    this.statusAggregator = statusAggregator;
    this.events = events;
    this.crds = crds;
    this.statusEvents = new StatusEvents(events);
  }

  @Override
  public UpdateControl<AppEnvironment> reconcile(AppEnvironment env, Context<AppEnvironment> context) {
    List<String> problems = SpecValidator.validate(env);
    RolloutState rollout = null;
    MonitoringState monitoring = null;
    if (problems.isEmpty()) {
      var workflow = context.managedWorkflowAndDependentResourceContext();
      workflow.put(EventRecorder.class, events);
      workflow.reconcileManagedWorkflow().throwAggregateExceptionIfErrorsPresent();
      Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
      rollout = RolloutState.of(deployment, EnvironmentDefaults.replicas(env));
      monitoring = monitoringState(env);
    } else {
      log.info("AppEnvironment {}/{} has an invalid spec: {}", env.getMetadata().getNamespace(),
          env.getMetadata().getName(), problems);
    }
    Observation observation = new Observation(env.getMetadata().getGeneration(), problems, rollout, monitoring);
    return patchIfChanged(env, statusAggregator.aggregate(env.getStatus(), observation));
  }

  @Override
  public ErrorStatusUpdateControl<AppEnvironment> updateErrorStatus(AppEnvironment env, Context<AppEnvironment> context,
      Exception error) {
    AppEnvironmentStatus next = statusAggregator.failed(env.getStatus(), env.getMetadata().getGeneration(), error);
    if (next.equals(env.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    statusEvents.recordTransitions(env, env.getStatus(), next);
    return ErrorStatusUpdateControl.patchStatus(withStatus(env, next));
  }

  private MonitoringState monitoringState(AppEnvironment env) {
    if (!AppServiceMonitorBuilder.isEnabled(env)) {
      return MonitoringState.DISABLED;
    }
    return crds.isInstalled(ServiceMonitor.CRD_NAME) ? MonitoringState.INSTALLED : MonitoringState.CRD_MISSING;
  }

  private UpdateControl<AppEnvironment> patchIfChanged(AppEnvironment env, AppEnvironmentStatus next) {
    if (next.equals(env.getStatus())) {
      return UpdateControl.noUpdate();
    }
    statusEvents.recordTransitions(env, env.getStatus(), next);
    return UpdateControl.patchStatus(withStatus(env, next));
  }

  /**
   * The status alone is ours, so it is applied without optimistic locking: a stale resourceVersion
   * (the informer cache lags our own last patch) would otherwise fail the patch with 409 Conflict.
   */
  private static AppEnvironment withStatus(AppEnvironment env, AppEnvironmentStatus status) {
    env.getMetadata().setResourceVersion(null);
    env.setStatus(status);
    return env;
  }
}
