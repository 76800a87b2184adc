package io.appenv.operator.informers;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every informer of an object each environment owns, one per kind, named here and chosen by {@code
 * useEventSourceWithName}: so every kind is watched once, with the managed label, the compact cache
 * and the update filter decided in this one place. With an informer per dependent, a kind with
 * several dependents (three Deployments, four Services) was listed, watched and cached once per
 * dependent. Each dependent still finds its own object by the name of its desired state.
 *
 * <p>Only the optional CRDs' kinds (ServiceMonitor, PrometheusRule, Velero's Schedule) keep the
 * informer of their dependent ({@link StartOnceInformer}): JOSDK may register it only once the
 * dependent's activation condition finds the CRD, and a cluster without it must still start.
 */
public final class SharedInformers {
  public static final String DEPLOYMENTS = "deployments";
  public static final String SERVICES = "services";
  public static final String NETWORK_POLICIES = "network-policies";
  public static final String DISRUPTION_BUDGETS = "disruption-budgets";
  public static final String CONFIG_MAPS = "config-maps";
  public static final String JOBS = "jobs";
  public static final String SECRETS = "secrets";
  public static final String STATEFUL_SETS = "stateful-sets";
  public static final String VOLUME_CLAIMS = "volume-claims";
  public static final String CRON_JOBS = "cron-jobs";

  private SharedInformers() {}

  public static List<EventSource<?, AppEnvironment>> eventSources(
      EventSourceContext<AppEnvironment> context) {
    return List.of(
        informer(Deployment.class, DEPLOYMENTS, context, owners(), everyUpdate()),
        informer(Service.class, SERVICES, context, owners(), everyUpdate()),
        informer(NetworkPolicy.class, NETWORK_POLICIES, context, owners(), everyUpdate()),
        informer(
            PodDisruptionBudget.class,
            DISRUPTION_BUDGETS,
            context,
            owners(),
            new StatusUpdatesIgnored<>()),
        informer(ConfigMap.class, CONFIG_MAPS, context, owners(), everyUpdate()),
        informer(Job.class, JOBS, context, ownersOrAnnotations(), everyUpdate()),
        informer(Secret.class, SECRETS, context, ownersOrAnnotations(), everyUpdate()),
        informer(StatefulSet.class, STATEFUL_SETS, context, owners(), everyUpdate()),
        informer(
            PersistentVolumeClaim.class,
            VOLUME_CLAIMS,
            context,
            ownersOrAnnotations(),
            new StatusUpdatesIgnored<>()),
        informer(CronJob.class, CRON_JOBS, context, owners(), everyUpdate()));
  }

  private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> owners() {
    return Mappers.fromOwnerReferences(AppEnvironment.class);
  }

  /**
   * The objects of create-only dependents may have no owner: the pre-release backup Job (its TTL
   * removes it), and the credentials Secret and the backup claim under deletionPolicy Retain. JOSDK
   * marks a create-only dependent's object with its primary's annotations instead, so these kinds
   * are mapped by both, or such an object is never found and is created again (409, caught by the
   * migrations and Retain tests of the e2e tier).
   */
  private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> ownersOrAnnotations() {
    SecondaryToPrimaryMapper<R> owners = owners();
    SecondaryToPrimaryMapper<R> annotations = Mappers.fromDefaultAnnotations(AppEnvironment.class);
    return object -> {
      Set<ResourceID> primaries = new HashSet<>(owners.toPrimaryResourceIDs(object));
      primaries.addAll(annotations.toPrimaryResourceIDs(object));
      return primaries;
    };
  }

  /** Every update wakes the environment: the kinds whose status it reads, and those without one. */
  private static <R extends HasMetadata> OnUpdateFilter<R> everyUpdate() {
    return (updated, old) -> true;
  }

  /** The managed label, our fields only, our namespaces. */
  private static <R extends HasMetadata> InformerEventSource<R, AppEnvironment> informer(
      Class<R> kind,
      String name,
      EventSourceContext<AppEnvironment> context,
      SecondaryToPrimaryMapper<R> toEnvironment,
      OnUpdateFilter<R> updates) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(kind, AppEnvironment.class)
            .withName(name)
            .withSecondaryToPrimaryMapper(toEnvironment)
            .withOnUpdateFilter(updates)
            .withLabelSelector(Labels.MANAGED_SELECTOR)
            .withItemStore(new OwnFieldsItemStore<>())
            .withNamespacesInheritedFromController()
            .build(),
        context);
  }
}
