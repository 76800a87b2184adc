package io.appenv.operator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReasonTest {
  @Test
  void aConditionsReasonReadsBackAsTheReasonThatGaveIt() {
    for (Reason reason : Reason.values()) {
      assertThat(Reason.of(reason.value())).isSameAs(reason);
    }
  }

  @Test
  void everyReasonIsCamelCaseAsKubernetesWritesThem() {
    assertThat(Arrays.stream(Reason.values()).map(Reason::value))
        .allMatch(value -> value.matches("[A-Z][A-Za-z]+"))
        .doesNotHaveDuplicates();
  }

  @Test
  void aReasonAppenvDoesNotGiveIsRefused() {
    assertThatThrownBy(() -> Reason.of("SomethingElse"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SomethingElse");
  }
}
