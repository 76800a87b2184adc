package io.appenv.operator.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StatusUpdatesIgnoredTest {
  private final StatusUpdatesIgnored<PodDisruptionBudget> filter = new StatusUpdatesIgnored<>();

  private static PodDisruptionBudget budget() {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName("shop-db")
        .withNamespace("shop")
        .withGeneration(1L)
        .withResourceVersion("10")
        .addToLabels("app.kubernetes.io/managed-by", "appenv")
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(0))
        .endSpec()
        .withNewStatus()
        .withCurrentHealthy(0)
        .withObservedGeneration(1L)
        .endStatus()
        .build();
  }

  @Test
  void theDisruptionControllersStatusUpdateWakesNoReconcile() {
    PodDisruptionBudget old = budget();
    PodDisruptionBudget updated =
        new PodDisruptionBudgetBuilder(old)
            .editMetadata()
            .withResourceVersion("11")
            .endMetadata()
            .editStatus()
            .withCurrentHealthy(1)
            .withDisruptionsAllowed(0)
            .endStatus()
            .build();

    assertThat(filter.accept(updated, old)).isFalse();
  }

  @Test
  void anEditedSpecWakesTheReconcileThatPutsItBack() {
    PodDisruptionBudget old = budget();
    PodDisruptionBudget edited =
        new PodDisruptionBudgetBuilder(old)
            .editMetadata()
            .withGeneration(2L)
            .withResourceVersion("11")
            .endMetadata()
            .editSpec()
            .withMaxUnavailable(new IntOrString(1))
            .endSpec()
            .build();

    assertThat(filter.accept(edited, old)).isTrue();
  }

  @Test
  void changedLabelsOwnersOrDeletionWakeTheReconcile() {
    PodDisruptionBudget old = budget();

    assertThat(filter.accept(editedMetadata(old, m -> m.setLabels(null)), old)).isTrue();
    assertThat(
            filter.accept(
                editedMetadata(
                    old,
                    m ->
                        m.setOwnerReferences(
                            List.of(
                                new OwnerReferenceBuilder()
                                    .withName("shop")
                                    .withKind("AppEnvironment")
                                    .build()))),
                old))
        .isTrue();
    assertThat(
            filter.accept(
                editedMetadata(old, m -> m.setDeletionTimestamp("2026-12-03T11:00:00Z")), old))
        .isTrue();
  }

  /** A copy of the budget with its metadata changed. */
  private static PodDisruptionBudget editedMetadata(
      PodDisruptionBudget old, Consumer<ObjectMeta> edit) {
    PodDisruptionBudget edited = new PodDisruptionBudgetBuilder(old).build();
    edit.accept(edited.getMetadata());
    return edited;
  }
}
