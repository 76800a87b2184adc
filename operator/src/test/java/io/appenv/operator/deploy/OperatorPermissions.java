package io.appenv.operator.deploy;

import io.appenv.operator.reconciler.AppEnvironmentReconciler;
import io.appenv.operator.upstream.Prometheus;
import io.appenv.operator.upstream.PrometheusRule;
import io.appenv.operator.upstream.ServiceMonitor;
import io.appenv.operator.upstream.VeleroSchedule;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import java.lang.reflect.ParameterizedType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API permissions the operator needs, as "verb group/resource[/name]" lines. The workflow's
 * part is read from the reconciler's @Workflow, so a new dependent changes it; the few direct API
 * calls outside JOSDK are listed with the class that makes them. Assumes server-side apply (the
 * default, and what deploy/ runs), which JOSDK leaves out for the kinds of its
 * defaultNonSSAResources (ConfigMaps and Secrets): those are created with a POST and updated with a
 * PUT.
 */
final class OperatorPermissions {
  private static final Set<Class<? extends HasMetadata>> NON_SSA =
      new BaseConfigurationService().defaultNonSSAResources();

  private OperatorPermissions() {}

  /** What the ClusterRole must grant: the operator watches every namespace. */
  static Set<String> clusterWide() {
    Set<String> needed = new TreeSet<>();
    Class<? extends HasMetadata> primary = primaryType(AppEnvironmentReconciler.class);
    add(needed, primary, "", "list", "watch"); // JOSDK's informer
    add(needed, primary, "/status", "update"); // StatusWriter: a PUT with the resourceVersion
    if (Cleaner.class.isAssignableFrom(AppEnvironmentReconciler.class)) {
      add(needed, primary, "", "patch"); // JOSDK adds and removes its finalizer
    }
    for (Dependent dependent :
        AppEnvironmentReconciler.class.getAnnotation(Workflow.class).dependents()) {
      DependentResource<?, ?> resource = instantiate(dependent.type());
      Class<? extends HasMetadata> type = resourceType(resource);
      add(needed, type, "", "list", "watch"); // each dependent's informer
      boolean applied = !NON_SSA.contains(type);
      if (resource instanceof Creator) {
        add(
            needed,
            type,
            "",
            applied
                ? new String[] {"create", "patch"}
                : new String[] {"create"}); // an apply that creates is authorized as both
      }
      if (resource instanceof Updater) {
        add(needed, type, "", applied ? "patch" : "update");
      }
      if (resource instanceof Deleter) {
        add(needed, type, "", "delete"); // when a reconcilePrecondition stops holding
      }
      if (CRDPresentActivationCondition.class.isAssignableFrom(dependent.activationCondition())) {
        needed.add(
            line(
                "get",
                CustomResourceDefinition.class,
                "/" + HasMetadata.getFullResourceName(type)));
      }
    }
    for (String crd :
        List.of(
            ServiceMonitor.CRD_NAME,
            PrometheusRule.CRD_NAME,
            Prometheus.CRD_NAME,
            VeleroSchedule.CRD_NAME)) {
      needed.add(line("get", CustomResourceDefinition.class, "/" + crd)); // CrdCatalog
    }
    add(
        needed,
        Event.class,
        "",
        "create",
        "get",
        "patch"); // EventRecorder: a repeat raises the count of its Event
    // RollbackService (the Alertmanager webhook): read, record the
    // rollback (StatusWriter), switch the Service.
    add(needed, primary, "", "get");
    add(needed, Deployment.class, "", "get");
    add(
        needed,
        Service.class,
        "",
        "get",
        "patch"); // fabric8's patch(PatchContext, String) GETs the Service first
    // PrometheusCatalog (the AlertsSelected condition): every
    // Prometheus' selectors, the namespace's labels.
    add(needed, Prometheus.class, "", "list");
    add(needed, Namespace.class, "", "get");
    // StartProblems: the pods of a release that does not start.
    add(needed, Pod.class, "", "list");
    return needed;
  }

  /**
   * What the leader-election Role must grant in the operator's namespace, for one Lease by name:
   * fabric8's LeaseLock creates, reads and renews it with a patch; JOSDK's LeaderElectionManager
   * checks for create, get and update before it starts, so update is needed although nothing calls
   * it. LeaderPodLabel lists the Pods that carry the leader label and patches the label on and off.
   */
  static Set<String> leaderElection(String leaseName) {
    Set<String> needed = new TreeSet<>(List.of(line("create", Lease.class, "")));
    List.of("get", "patch", "update")
        .forEach(verb -> needed.add(line(verb, Lease.class, "/" + leaseName)));
    add(needed, Pod.class, "", "get", "list", "patch"); // fabric8's patch GETs the Pod first
    return needed;
  }

  /** The same lines from RBAC rules, to compare with what the code needs. */
  static Set<String> granted(List<PolicyRule> rules) {
    Set<String> lines = new TreeSet<>();
    for (PolicyRule rule : rules) {
      List<String> names =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? List.of("")
              : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String name : names) {
            for (String verb : rule.getVerbs()) {
              lines.add(verb + " " + group + "/" + resource + (name.isEmpty() ? "" : "/" + name));
            }
          }
        }
      }
    }
    return lines;
  }

  private static void add(
      Set<String> needed, Class<? extends HasMetadata> type, String suffix, String... verbs) {
    Arrays.stream(verbs).forEach(verb -> needed.add(line(verb, type, suffix)));
  }

  private static String line(String verb, Class<? extends HasMetadata> type, String suffix) {
    return verb + " " + HasMetadata.getGroup(type) + "/" + HasMetadata.getPlural(type) + suffix;
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends HasMetadata> primaryType(Class<?> reconciler) {
    return Arrays.stream(reconciler.getGenericInterfaces())
        .filter(t -> t instanceof ParameterizedType p && p.getRawType() == Reconciler.class)
        .map(
            t -> (Class<? extends HasMetadata>) ((ParameterizedType) t).getActualTypeArguments()[0])
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends HasMetadata> resourceType(DependentResource<?, ?> resource) {
    return (Class<? extends HasMetadata>) resource.resourceType();
  }

  private static DependentResource<?, ?> instantiate(Class<? extends DependentResource> type) {
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true); // some dependents are nested in package-private classes
      return constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create dependent " + type.getName(), e);
    }
  }
}
