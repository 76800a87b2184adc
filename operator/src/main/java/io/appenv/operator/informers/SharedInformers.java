package io.appenv.operator.informers;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
 * One informer per kind for the dependents that own several objects of that kind (three
 * Deployments, four Services, ...), named here and chosen by {@code useEventSourceWithName}. With
 * an informer per dependent, each one listed, watched and cached every managed object of its kind,
 * so a Deployment was held three times and a Service four times. Each dependent still finds its own
 * object by the name of its desired state.
 */
public final class SharedInformers {
  public static final String DEPLOYMENTS = "deployments";
  public static final String SERVICES = "services";
  public static final String NETWORK_POLICIES = "network-policies";
  public static final String DISRUPTION_BUDGETS = "disruption-budgets";
  public static final String CONFIG_MAPS = "config-maps";
  public static final String JOBS = "jobs";

  private SharedInformers() {}

  public static List<EventSource<?, AppEnvironment>> eventSources(
      EventSourceContext<AppEnvironment> context) {
    return List.of(
        informer(Deployment.class, DEPLOYMENTS, context),
        informer(Service.class, SERVICES, context),
        informer(NetworkPolicy.class, NETWORK_POLICIES, context),
        informer(
            PodDisruptionBudget.class,
            DISRUPTION_BUDGETS,
            context,
            Mappers.fromOwnerReferences(AppEnvironment.class),
            new StatusUpdatesIgnored<>()),
        informer(ConfigMap.class, CONFIG_MAPS, context),
        informer(Job.class, JOBS, context, jobOwners(), everyUpdate()));
  }

  /**
   * The roles Job names its environment as owner. The pre-release backup Job has no owner (its TTL
   * removes it): JOSDK marks a create-only dependent's object with its primary's annotations, and
   * that dependent's own informer mapped it by them. The shared one reads both, or the Job is never
   * found and is created again (409, caught by AppEnvironmentE2E's migrations test).
   */
  private static SecondaryToPrimaryMapper<Job> jobOwners() {
    SecondaryToPrimaryMapper<Job> owners = Mappers.fromOwnerReferences(AppEnvironment.class);
    SecondaryToPrimaryMapper<Job> annotations =
        Mappers.fromDefaultAnnotations(AppEnvironment.class);
    return job -> {
      Set<ResourceID> primaries = new HashSet<>(owners.toPrimaryResourceIDs(job));
      primaries.addAll(annotations.toPrimaryResourceIDs(job));
      return primaries;
    };
  }

  /** As the dependents' own informers were: the managed label, our fields only, our namespaces. */
  private static <R extends HasMetadata> InformerEventSource<R, AppEnvironment> informer(
      Class<R> kind, String name, EventSourceContext<AppEnvironment> context) {
    return informer(
        kind, name, context, Mappers.fromOwnerReferences(AppEnvironment.class), everyUpdate());
  }

  /** Every update wakes the environment: the kinds whose status it reads, and those without one. */
  private static <R extends HasMetadata> OnUpdateFilter<R> everyUpdate() {
    return (updated, old) -> true;
  }

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
