package io.appenv.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * "Nothing changes for N s", said as a wait instead of a sleep: Awaitility's {@code during} looks
 * again and again over the whole window, and the first look that fails ends the wait at once with
 * its assertion's message (an AssertionError thrown inside {@code until} is not "not yet").
 */
final class Steady {
  /** Room for the last look to finish after the window. */
  private static final Duration MARGIN = Duration.ofSeconds(10);

  private Steady() {}

  /** Something to look at that fails with an AssertionError when it does not hold. */
  @FunctionalInterface
  interface Check {
    void verify() throws Exception;
  }

  /** {@code check} passes at every look for {@code window}. */
  static void holds(Duration window, Check check) {
    await()
        .during(window)
        .atMost(window.plus(MARGIN))
        .pollInterval(pollInterval(window))
        .until(
            () -> {
              check.verify();
              return true;
            });
  }

  /** What {@code read} returns equals {@code expected} at every look for {@code window}. */
  static <T> void unchanged(Duration window, Supplier<String> what, Callable<T> read, T expected) {
    holds(window, () -> assertThat(read.call()).as(what).isEqualTo(expected));
  }

  static <T> void unchanged(Duration window, String what, Callable<T> read, T expected) {
    unchanged(window, () -> what, read, expected);
  }

  /** Reads now, then holds that every later read within {@code window} equals it; returns it. */
  static <T> T unchanged(Duration window, String what, Callable<T> read) throws Exception {
    T before = read.call();
    unchanged(window, what, read, before);
    return before;
  }

  /** A tenth of the window, at most a second: a change is seen soon without flooding the reads. */
  private static Duration pollInterval(Duration window) {
    Duration tenth = window.dividedBy(10);
    return tenth.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : tenth;
  }
}
