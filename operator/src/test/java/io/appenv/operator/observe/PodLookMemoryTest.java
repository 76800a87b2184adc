package io.appenv.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.names.Color;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PodLookMemoryTest {
  private static final Instant LOOK_15S = Instant.parse("2026-12-03T10:00:15Z");
  private static final Instant LOOK_30S = Instant.parse("2026-12-03T10:00:30Z");

  private final PodLookMemory memory = new PodLookMemory();
  private final AppEnvironment shop = TestEnvironments.rolling("team-a", "shop", spec -> {});
  private final AtomicInteger lists = new AtomicInteger();

  private Supplier<Optional<String>> pods(String why) {
    return () -> {
      lists.incrementAndGet();
      return Optional.ofNullable(why);
    };
  }

  @Test
  void thePodsAreListedOncePerLook() {
    assertThat(memory.whyNotStarting(shop, Color.GREEN, LOOK_15S, pods(null))).isEmpty();
    assertThat(memory.whyNotStarting(shop, Color.GREEN, LOOK_15S, pods("not asked"))).isEmpty();
    assertThat(lists).hasValue(1);

    assertThat(memory.whyNotStarting(shop, Color.GREEN, LOOK_30S, pods("image cannot be pulled")))
        .contains("image cannot be pulled");
    assertThat(lists).hasValue(2);
  }

  @Test
  void eachColourAndEnvironmentHasItsOwnLook() {
    AppEnvironment other = TestEnvironments.rolling("team-b", "shop", spec -> {});
    memory.whyNotStarting(shop, Color.GREEN, LOOK_15S, pods(null));

    memory.whyNotStarting(shop, Color.BLUE, LOOK_15S, pods(null));
    memory.whyNotStarting(other, Color.GREEN, LOOK_15S, pods(null));

    assertThat(lists).hasValue(3);
  }

  @Test
  void aDeletedEnvironmentIsForgotten() {
    memory.whyNotStarting(shop, Color.GREEN, LOOK_15S, pods(null));
    memory.forget(shop);

    memory.whyNotStarting(shop, Color.GREEN, LOOK_15S, pods(null));

    assertThat(lists).hasValue(2);
  }
}
