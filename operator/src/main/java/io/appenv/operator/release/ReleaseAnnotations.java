package io.appenv.operator.release;

import io.appenv.operator.api.AppEnvironment;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The annotations people and CI put on an AppEnvironment to steer its releases, and how they are
 * read.
 */
public final class ReleaseAnnotations {
  /** Set to a waiting revision to promote it (release.autoPromote: false). */
  public static final String PROMOTE = "platform.appenv.io/promote";

  /** Set to the active revision to roll it back by hand, as an alert would. */
  public static final String ROLLBACK = "platform.appenv.io/rollback";

  /** Set by CI to the commit's time (RFC 3339): lead time for changes counts from it. */
  public static final String COMMIT_TIMESTAMP = "platform.appenv.io/commit-timestamp";

  private ReleaseAnnotations() {}

  static Optional<String> value(AppEnvironment env, String name) {
    return Optional.ofNullable(env.getMetadata().getAnnotations()).map(a -> a.get(name));
  }

  /** The commit time CI set, if it is a valid RFC 3339 time. */
  static Optional<Instant> commitTime(AppEnvironment env) {
    try {
      return value(env, COMMIT_TIMESTAMP).map(v -> OffsetDateTime.parse(v).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The commit time annotation is set but not a time. */
  static boolean commitTimeInvalid(AppEnvironment env) {
    return value(env, COMMIT_TIMESTAMP).isPresent() && commitTime(env).isEmpty();
  }

  static boolean promotes(AppEnvironment env, long revision) {
    return value(env, PROMOTE).filter(String.valueOf(revision)::equals).isPresent();
  }

  static boolean rollsBack(AppEnvironment env, long activeRevision) {
    return value(env, ROLLBACK).filter(String.valueOf(activeRevision)::equals).isPresent();
  }
}
