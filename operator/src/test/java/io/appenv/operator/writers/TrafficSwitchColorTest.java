package io.appenv.operator.writers;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.names.Color;
import org.junit.jupiter.api.Test;

class TrafficSwitchColorTest {

  @Test
  void aWarmRollbackWrittenDuringTheReconcileIsKept() {
    // Planned from the status before the rollback (green active);
    // the webhook then wrote blue and switched.
    assertThat(TrafficSwitch.colorToServe(Color.GREEN, "green", "blue", "blue"))
        .isEqualTo(Color.BLUE);
  }

  @Test
  void aColdRollbackIsLeftToTheNextReconcile() {
    // The webhook wrote blue but kept traffic on green until blue is available: nothing to protect.
    assertThat(TrafficSwitch.colorToServe(Color.GREEN, "green", "blue", "green"))
        .isEqualTo(Color.GREEN);
  }

  @Test
  void withoutAConcurrentChangeThePlanDecides() {
    assertThat(TrafficSwitch.colorToServe(Color.GREEN, "blue", "blue", "blue"))
        .as("a promotion")
        .isEqualTo(Color.GREEN);
    assertThat(TrafficSwitch.colorToServe(Color.BLUE, null, null, null))
        .as("the first release")
        .isEqualTo(Color.BLUE);
  }
}
