package io.appenv.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.api.Condition;
import io.appenv.operator.events.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Instant T1 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-26T11:00:00Z");

  @Test
  void keepsTheTransitionTimeWhileTheStatusStaysTheSame() {
    List<Condition> first =
        Conditions.set(
            List.of(), Conditions.of("Ready", true, Reason.RELEASE_ACTIVE, "one"), 1, T1);
    List<Condition> second =
        Conditions.set(first, Conditions.of("Ready", true, Reason.RELEASE_COMPLETE, "two"), 2, T2);

    assertThat(second)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo(T1.toString());
              assertThat(c.getReason()).isEqualTo("ReleaseComplete");
              assertThat(c.getMessage()).isEqualTo("two");
              assertThat(c.getObservedGeneration()).isEqualTo(2L);
            });
  }

  @Test
  void movesTheTransitionTimeWhenTheStatusFlips() {
    List<Condition> first =
        Conditions.set(
            List.of(), Conditions.of("Ready", true, Reason.RELEASE_ACTIVE, "one"), 1, T1);
    List<Condition> second =
        Conditions.set(first, Conditions.of("Ready", false, Reason.RELEASE_ACTIVE, "one"), 1, T2);

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo(T2.toString());
  }

  @Test
  void replacesOnlyTheConditionOfTheSameType() {
    List<Condition> conditions =
        Conditions.set(List.of(), Conditions.of("Ready", true, Reason.RELEASE_ACTIVE, "a"), 1, T1);
    conditions =
        Conditions.set(
            conditions, Conditions.of("Degraded", false, Reason.RELEASE_COMPLETE, "b"), 1, T1);
    conditions =
        Conditions.set(
            conditions, Conditions.of("Ready", false, Reason.RELEASE_FAILED, "c"), 1, T2);

    assertThat(conditions).extracting(Condition::getType).containsExactly("Ready", "Degraded");
    assertThat(Conditions.isTrue(conditions, "Ready")).isFalse();
    assertThat(Conditions.find(conditions, "Degraded"))
        .get()
        .extracting(Condition::getReason)
        .isEqualTo("ReleaseComplete");
  }
}
