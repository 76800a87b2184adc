package io.appenv.operator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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

  /** docs/api.md is where users look a reason up: every one appenv gives is explained there. */
  @Test
  void everyReasonIsDocumentedInTheApiReference() throws Exception {
    String api =
        Files.readString(Path.of(System.getProperty("appenv.docs.dir", "../docs"), "api.md"));

    assertThat(Reason.values())
        .allSatisfy(reason -> assertThat(api).contains("`" + reason.value() + "`"));
  }

  @Test
  void aReasonAppenvDoesNotGiveIsRefused() {
    assertThatThrownBy(() -> Reason.of("SomethingElse"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SomethingElse");
  }
}
