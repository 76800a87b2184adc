package io.appenv.operator.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.Phase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class OwnStatusWritesTest {
  private final OwnStatusWrites writes = new OwnStatusWrites();

  private static AppEnvironment env(String resourceVersion, Phase phase) {
    AppEnvironment env = new AppEnvironment();
    env.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("prod")
            .withGeneration(3L)
            .withResourceVersion(resourceVersion)
            .build());
    AppEnvironmentStatus status = new AppEnvironmentStatus();
    status.setPhase(phase);
    env.setStatus(status);
    return env;
  }

  @Test
  void theEventOfOurWriteIsLeftOutOnce() {
    writes.writing(env("11", Phase.Progressing), env("12", Phase.Ready).getStatus());

    assertThat(writes.accept(env("12", Phase.Ready), env("11", Phase.Progressing))).isFalse();
    assertThat(writes.accept(env("12", Phase.Ready), env("12", Phase.Ready)))
        .as("a second delivery of that version (a relist) is not ours to drop any more")
        .isTrue();
  }

  @Test
  void anotherStatusWakesTheReconcile() {
    writes.writing(env("11", Phase.Progressing), env("12", Phase.Ready).getStatus());

    assertThat(writes.accept(env("13", Phase.Degraded), env("11", Phase.Progressing)))
        .as("the webhook's rollback")
        .isTrue();
  }

  @Test
  void aChangedSpecWithOurStatusWakesTheReconcile() {
    writes.writing(env("11", Phase.Progressing), env("12", Phase.Ready).getStatus());
    AppEnvironment edited = env("13", Phase.Ready);
    edited.getMetadata().setGeneration(4L);

    assertThat(writes.accept(edited, env("12", Phase.Ready))).isTrue();
  }

  @Test
  void aFailedWriteLeavesNothingToLeaveOut() {
    writes.writing(env("11", Phase.Progressing), env("12", Phase.Ready).getStatus());
    writes.forget(env("11", Phase.Progressing));

    assertThat(writes.accept(env("12", Phase.Ready), env("11", Phase.Progressing))).isTrue();
  }
}
