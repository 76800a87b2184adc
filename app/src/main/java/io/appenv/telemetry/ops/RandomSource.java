package io.appenv.telemetry.ops;

import java.util.concurrent.ThreadLocalRandom;

/** Where fault injection draws its chances from; tests substitute a fixed sequence. */
@FunctionalInterface
public interface RandomSource {

  /** A value in [0, 1). */
  double nextDouble();

  static RandomSource threadLocal() {
    return () -> ThreadLocalRandom.current().nextDouble();
  }
}
