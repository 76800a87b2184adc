package io.appenv.operator.reconciler;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.Postgres;
import io.appenv.operator.builders.PostgresBackupBuilder;
import io.appenv.operator.builders.PostgresRolesJobBuilder;
import io.appenv.operator.builders.VeleroScheduleBuilder;
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
import io.appenv.operator.observe.PodLooks;
import io.appenv.operator.observe.RolloutState;
import io.appenv.operator.observe.Snapshot;
import io.appenv.operator.observe.StartProblems;
import io.appenv.operator.release.ReleasePlan;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.appenv.operator.status.Observation;
import io.appenv.operator.upstream.Prometheus;
import io.appenv.operator.upstream.PrometheusRule;
import io.appenv.operator.upstream.ServiceMonitor;
import io.appenv.operator.upstream.VeleroSchedule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads an environment's objects from the informers' caches, in two steps: before the workflow
 * applies (what the release plan and the dependents decide from) and after it (what the status
 * reports, including the objects this reconcile just created or changed). Each step reads each
 * object once. The only reads that reach the API server are the pods of a release that cannot
 * start, listed at its scheduled looks and not in between ({@link PodLookMemory}), and the CRD and
 * Prometheus catalogs, which remember what they found.
 */
final class Observer {
  private final Clock clock;
  private final CrdCatalog crds;
  private final PrometheusCatalog prometheuses;
  private final MonitoringLabels monitoringLabels;
  private final PodLookMemory podLooks = new PodLookMemory();

  Observer(
      Clock clock,
      CrdCatalog crds,
      PrometheusCatalog prometheuses,
      MonitoringLabels monitoringLabels) {
    this.clock = clock;
    this.crds = crds;
    this.prometheuses = prometheuses;
    this.monitoringLabels = monitoringLabels;
  }

  /** Before the workflow applies: the release plan's and the dependents' input. */
  Snapshot beforeApply(AppEnvironment env, Context<AppEnvironment> context) {
    List<Deployment> deployments =
        context.getSecondaryResources(Deployment.class).stream().toList();
    Map<Color, ColorState> colors = new EnumMap<>(Color.class);
    for (Color color : Color.values()) {
      ColorState state = ColorState.of(named(deployments, Names.colorDeployment(env, color)));
      if (state != null) {
        colors.put(color, state);
      }
    }
    Map<String, JobState> jobs =
        context
            .getSecondaryResourcesAsStream(Job.class)
            .collect(Collectors.toMap(j -> j.getMetadata().getName(), JobState::of, (a, b) -> a));
    return new Snapshot(
        clock.instant(),
        colors,
        named(deployments, Names.app(env)) != null,
        Postgres.isEnabled(env) ? DatabaseState.of(env, statefulSet(context)) : null,
        context.getSecondaryResource(Secret.class).map(s -> s.getMetadata().getUid()).orElse(null),
        jobs,
        pods(env, context));
  }

  /** After the workflow applied: what the status reports. */
  Observation afterApply(
      AppEnvironment env, Context<AppEnvironment> context, Snapshot before, ReleasePlan plan) {
    RolloutState rollout =
        plan == null
            ? RolloutState.of(
                named(context.getSecondaryResources(Deployment.class), Names.app(env)),
                EnvironmentDefaults.replicas(env))
            : null;
    return new Observation(
        env.getMetadata().getGeneration(),
        List.of(),
        rollout,
        addOns(env),
        plan,
        Postgres.isEnabled(env) ? database(env, context) : null,
        PostgresBackupBuilder.isEnabled(env) ? backup(env, context, before.at()) : null);
  }

  /** Forgets a deleted environment. */
  void forget(AppEnvironment env) {
    podLooks.forget(env);
  }

  /**
   * Read from the API server, not a cache, and only when the planner asks: only a release that has
   * been starting for a while does, and watching every pod of every environment would cost more
   * than these few lists.
   */
  private PodLooks pods(AppEnvironment env, Context<AppEnvironment> context) {
    return (color, look) ->
        podLooks.whyNotStarting(
            env,
            color,
            look,
            () ->
                StartProblems.of(
                    context
                        .getClient()
                        .pods()
                        .inNamespace(env.getMetadata().getNamespace())
                        .withLabels(
                            Labels.withColor(Labels.selector(env, Labels.COMPONENT_APP), color))
                        .list()
                        .getItems()));
  }

  /**
   * The database, and whether the roles Job of this operator version and credentials Secret has
   * run.
   */
  private static DatabaseState database(AppEnvironment env, Context<AppEnvironment> context) {
    String rolesJob =
        context
            .getSecondaryResource(Secret.class)
            .map(secret -> PostgresRolesJobBuilder.name(env, secret.getMetadata().getUid()))
            .orElse(null);
    boolean applied =
        rolesJob != null
            && Optional.ofNullable(named(context.getSecondaryResources(Job.class), rolesJob))
                    .map(JobState::of)
                    .orElse(JobState.ABSENT)
                == JobState.SUCCEEDED;
    return DatabaseState.of(env, statefulSet(context), rolesJob, applied);
  }

  private static BackupHealth backup(
      AppEnvironment env, Context<AppEnvironment> context, Instant now) {
    Optional<CronJob> cronJob = context.getSecondaryResource(CronJob.class);
    Instant since =
        cronJob.map(c -> c.getMetadata().getCreationTimestamp()).map(Instant::parse).orElse(now);
    Instant last =
        cronJob
            .map(CronJob::getStatus)
            .map(s -> s.getLastSuccessfulTime())
            .map(Instant::parse)
            .orElse(null);
    return BackupHealth.of(env.getSpec().getBackup().getSchedule(), since, last, now);
  }

  private AddOns addOns(AppEnvironment env) {
    boolean monitored = EnvironmentDefaults.monitored(env);
    return new AddOns(
        addOnState(monitored, ServiceMonitor.CRD_NAME),
        addOnState(monitored, PrometheusRule.CRD_NAME),
        addOnState(VeleroScheduleBuilder.isEnabled(env), VeleroSchedule.CRD_NAME),
        monitored ? selection(env) : null);
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
   * Whether a Prometheus selects the rules and the ServiceMonitor; null where the cluster has no
   * Prometheus kind.
   */
  private PrometheusSelection.Result selection(AppEnvironment env) {
    if (!crds.isInstalled(Prometheus.CRD_NAME)) {
      return null;
    }
    Map<String, String> labels = monitoringLabels.of(env, Labels.COMPONENT_APP);
    return prometheuses.selection(env.getMetadata().getNamespace(), labels, labels);
  }

  private static StatefulSet statefulSet(Context<AppEnvironment> context) {
    return context.getSecondaryResource(StatefulSet.class).orElse(null);
  }

  /** Several dependents share an informer of a kind, so the object wanted is picked by name. */
  private static <R extends HasMetadata> R named(Iterable<R> objects, String name) {
    for (R object : objects) {
      if (name.equals(object.getMetadata().getName())) {
        return object;
      }
    }
    return null;
  }
}
