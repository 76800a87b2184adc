package io.appenv.operator.e2e;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.Condition;
import io.appenv.operator.api.Phase;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseRef;
import io.appenv.operator.builders.PostgresStatefulSetBuilder;
import io.appenv.operator.names.Color;
import io.appenv.operator.names.Labels;
import io.appenv.operator.names.Names;
import io.appenv.operator.status.ConditionType;
import io.appenv.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One AppEnvironment as the cluster holds it now, read afresh at every call, for tests that wait
 * for its state. Every read is null-safe: a poll meets an environment, a status, a release, a
 * condition or a Service that is not written yet, and that means "not yet", not an error. A read
 * that fails for another reason (the API server refusing it) still fails the wait.
 */
record LiveEnvironment(KubernetesClient client, String namespace, String name) {

  /** The object, or null while it does not exist. */
  AppEnvironment get() {
    return client.resources(AppEnvironment.class).inNamespace(namespace).withName(name).get();
  }

  /** Its status, empty while the environment or its status is not written. */
  Optional<AppEnvironmentStatus> status() {
    return Optional.ofNullable(get()).map(AppEnvironment::getStatus);
  }

  /** Its phase, null while there is none. */
  Phase phase() {
    return status().map(AppEnvironmentStatus::getPhase).orElse(null);
  }

  /** Ready, and for its current generation (not a status written before the last spec change). */
  boolean ready() {
    return isReady(get());
  }

  /** Ready, and for its current generation; false for null. */
  static boolean isReady(AppEnvironment env) {
    return env != null
        && env.getStatus() != null
        && Conditions.isTrue(env.getStatus().getConditions(), ConditionType.READY)
        && Objects.equals(
            env.getMetadata().getGeneration(), env.getStatus().getObservedGeneration());
  }

  Optional<Condition> condition(String type) {
    return condition(get(), type);
  }

  /** The condition of {@code type} of {@code env}; empty for null or when it has none. */
  static Optional<Condition> condition(AppEnvironment env, String type) {
    return Optional.ofNullable(env)
        .map(AppEnvironment::getStatus)
        .flatMap(s -> Conditions.find(s.getConditions(), type));
  }

  boolean isTrue(String type) {
    return condition(type).map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
  }

  /** The condition of {@code type} has this status and reason. */
  boolean has(String type, boolean status, String reason) {
    return has(get(), type, status, reason);
  }

  static boolean has(AppEnvironment env, String type, boolean status, String reason) {
    return condition(env, type)
        .filter(c -> (status ? Conditions.TRUE : Conditions.FALSE).equals(c.getStatus()))
        .filter(c -> reason.equals(c.getReason()))
        .isPresent();
  }

  /** Some condition has this reason, whatever its type. */
  boolean anyConditionHasReason(String reason) {
    return status()
        .map(s -> s.getConditions().stream().anyMatch(c -> reason.equals(c.getReason())))
        .orElse(false);
  }

  /** The colour the status says serves, null while there is none. */
  String activeColor() {
    return status().map(AppEnvironmentStatus::getActiveColor).orElse(null);
  }

  Optional<ReleaseRef> activeRelease() {
    return activeRelease(get());
  }

  /** The release that serves in {@code env}; empty for null or while there is none. */
  static Optional<ReleaseRef> activeRelease(AppEnvironment env) {
    return Optional.ofNullable(env)
        .map(AppEnvironment::getStatus)
        .map(AppEnvironmentStatus::getActiveRelease);
  }

  /** The image of the release that serves, null while there is none. */
  String activeImage() {
    return activeRelease().map(ReleaseRef::getImage).orElse(null);
  }

  /** The revision of the release that serves, null while there is none. */
  Long activeRevision() {
    return activeRelease().map(ReleaseRef::getRevision).orElse(null);
  }

  /** The release history, newest first; empty while there is none. */
  List<ReleaseRecord> history() {
    return status().map(AppEnvironmentStatus::getHistory).orElse(List.of());
  }

  Optional<ReleaseRecord> newestRelease() {
    return history().stream().findFirst();
  }

  /** The status as YAML, for an assertion's description. */
  String describeStatus() {
    return status().map(Serialization::asYaml).orElse("(no status)");
  }

  /** The main Service, or null. */
  Service service() {
    return child(Service.class, Names.service(named()));
  }

  /** The colour the main Service selects, null while there is no Service. */
  String servingColor() {
    return servingColor(service());
  }

  static String servingColor(Service service) {
    return service == null || service.getSpec() == null
        ? null
        : service.getSpec().getSelector().get(Labels.COLOR);
  }

  /** The name of a colour's Deployment. */
  String deployment(Color color) {
    return Names.colorDeployment(named(), color);
  }

  /** The name of the database's volume claim (its StatefulSet's one Pod's). */
  String databaseClaim() {
    return PostgresStatefulSetBuilder.DATA_VOLUME + "-" + Names.database(named()) + "-0";
  }

  /** The replicas a colour's Deployment asks for, null while it does not exist. */
  Integer replicas(Color color) {
    Deployment found = child(Deployment.class, deployment(color));
    return found == null || found.getSpec() == null ? null : found.getSpec().getReplicas();
  }

  /** Only the name and namespace, for the names {@link Names} derives from them. */
  AppEnvironment named() {
    AppEnvironment env = new AppEnvironment();
    env.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    return env;
  }

  /** An object of the environment's namespace, or null. */
  <T extends HasMetadata> T child(Class<T> type, String childName) {
    return client.resources(type).inNamespace(namespace).withName(childName).get();
  }

  /**
   * A new image, as `kubectl patch --type merge` sets it: no resourceVersion, so no race with the
   * operator's status writes.
   */
  void setImage(String image) {
    mergePatch(Map.of("spec", Map.of("app", Map.of("image", image))));
  }

  /** An annotation, set as `kubectl annotate --overwrite` would. */
  void annotate(String key, String value) {
    mergePatch(Map.of("metadata", Map.of("annotations", Map.of(key, value))));
  }

  /** Deletes the environment, as `kubectl delete` does (its finalizer may keep it a while). */
  void delete() {
    client.resources(AppEnvironment.class).inNamespace(namespace).withName(name).delete();
  }

  /** A JSON merge patch of the environment. */
  void mergePatch(Map<String, ?> patch) {
    client
        .resources(AppEnvironment.class)
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
  }
}
