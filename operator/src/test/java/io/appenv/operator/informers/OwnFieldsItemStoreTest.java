package io.appenv.operator.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.appenv.operator.reconciler.AppEnvironmentReconciler;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnFieldsItemStoreTest {
  private static final String OWN_FIELDS =
      """
      {"f:metadata":{"f:labels":{".":{},"f:app.kubernetes.io/managed-by":{}},
        "f:ownerReferences":{"k:{\\"uid\\":\\"6a1c\\"}":{}}},
       "f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{
         ".":{},"f:image":{},"f:name":{}}}}}}}""";

  @SuppressWarnings("unchecked")
  private static ManagedFieldsEntry entry(String manager, String operation, String fields) {
    FieldsV1 set = new FieldsV1();
    set.setAdditionalProperties(Serialization.unmarshal(fields, Map.class));
    return new ManagedFieldsEntryBuilder()
        .withManager(manager)
        .withOperation(operation)
        .withApiVersion("apps/v1")
        .withFieldsType("FieldsV1")
        .withFieldsV1(set)
        .build();
  }

  private static Deployment cached(ManagedFieldsEntry... entries) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("shop-blue")
        .withNamespace("team-a")
        .withManagedFields(entries)
        .endMetadata()
        .build();
  }

  @Test
  void keepsOnlyTheOperatorsOwnAppliedFields() {
    OwnFieldsItemStore<Deployment> store = new OwnFieldsItemStore<>();
    Deployment deployment =
        cached(
            entry("kube-controller-manager", "Update", "{\"f:status\":{\"f:replicas\":{}}}"),
            entry(AppEnvironmentReconciler.NAME, "Apply", OWN_FIELDS),
            entry(AppEnvironmentReconciler.NAME, "Update", "{\"f:spec\":{\"f:paused\":{}}}"),
            entry("kubectl-edit", "Update", "{\"f:metadata\":{\"f:annotations\":{}}}"));

    store.put(store.getKey(deployment), deployment);

    List<ManagedFieldsEntry> kept = store.get("team-a/shop-blue").getMetadata().getManagedFields();
    assertThat(kept)
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(tuple(AppEnvironmentReconciler.NAME, "Apply"));
  }

  /**
   * What JOSDK's SSA matcher walks: the same field paths, list keys included, whatever the map
   * type.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theKeptFieldSetIsTheSameTreeAsImmutableMapsWithSharedNames() {
    OwnFieldsItemStore<Deployment> store = new OwnFieldsItemStore<>();
    Deployment first = cached(entry(AppEnvironmentReconciler.NAME, "Apply", OWN_FIELDS));
    Deployment second =
        new DeploymentBuilder(cached(entry(AppEnvironmentReconciler.NAME, "Apply", OWN_FIELDS)))
            .editMetadata()
            .withName("shop-green")
            .endMetadata()
            .build();

    store.put(store.getKey(first), first);
    store.put(store.getKey(second), second);

    Map<String, Object> tree = fields(store.get("team-a/shop-blue"));
    assertThat(tree).isEqualTo(Serialization.unmarshal(OWN_FIELDS, Map.class));
    assertThatThrownBy(() -> tree.put("f:status", Map.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    String spec = tree.keySet().stream().filter("f:spec"::equals).findFirst().orElseThrow();
    String specOfTheOther =
        fields(store.get("team-a/shop-green")).keySet().stream()
            .filter("f:spec"::equals)
            .findFirst()
            .orElseThrow();
    assertThat(spec)
        .as("one String for a field name, however many objects name it")
        .isSameAs(specOfTheOther);
  }

  @Test
  void anObjectWithoutManagedFieldsIsStoredAsItIs() {
    OwnFieldsItemStore<Deployment> store = new OwnFieldsItemStore<>();
    Deployment deployment = cached();

    store.put(store.getKey(deployment), deployment);

    assertThat(store.get("team-a/shop-blue")).isSameAs(deployment);
    assertThat(store.size()).isEqualTo(1);
  }

  private static Map<String, Object> fields(Deployment deployment) {
    return deployment
        .getMetadata()
        .getManagedFields()
        .get(0)
        .getFieldsV1()
        .getAdditionalProperties();
  }
}
