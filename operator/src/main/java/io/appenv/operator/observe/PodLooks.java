package io.appenv.operator.observe;

import io.appenv.operator.names.Color;
import java.time.Instant;
import java.util.Optional;

/**
 * What keeps a colour's pods from starting (see {@link StartProblems}), as read at one of the
 * release's looks: at 15 s of its age, then 30 s, 1 min, 2 min... The same look may be answered
 * from what was read at it.
 */
@FunctionalInterface
public interface PodLooks {
  /**
   * @param look when the look was due (the release's start plus 15 s, 30 s, ...)
   */
  Optional<String> whyNotStarting(Color color, Instant look);
}
