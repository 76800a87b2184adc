package io.appenv.operator.release;

import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseRef;
import io.appenv.operator.names.Color;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A working copy of the release fields of the status; the planner changes the copy, never its
 * input.
 */
public final class ReleaseBook {
  private Color activeColor;
  private ReleaseRef activeRelease;
  private ReleaseRef previousRelease;
  private final List<ReleaseRecord> history;
  private final List<String> rejectedImages;

  private ReleaseBook(AppEnvironmentStatus status) {
    activeColor = Optional.ofNullable(status.getActiveColor()).map(Color::fromLabel).orElse(null);
    activeRelease = copy(status.getActiveRelease(), ReleaseRef.class);
    previousRelease = copy(status.getPreviousRelease(), ReleaseRef.class);
    history =
        new ArrayList<>(
            Optional.ofNullable(status.getHistory()).orElse(List.of()).stream()
                .map(r -> copy(r, ReleaseRecord.class))
                .toList());
    rejectedImages =
        new ArrayList<>(Optional.ofNullable(status.getRejectedImages()).orElse(List.of()));
  }

  static ReleaseBook of(AppEnvironmentStatus status) {
    return new ReleaseBook(status);
  }

  Color activeColor() {
    return activeColor;
  }

  ReleaseRef activeRelease() {
    return activeRelease;
  }

  boolean hasPrevious() {
    return previousRelease != null;
  }

  boolean isRejected(String image) {
    return rejectedImages.contains(image);
  }

  /**
   * The release of this template: the newest record if it is for the same template, else a new one.
   */
  ReleaseRecord recordFor(
      String templateHash, String image, Color color, Instant now, Instant commitTime) {
    if (started(templateHash)) {
      return history.get(0);
    }
    supersedeProgressing("replaced by revision " + nextRevision());
    ReleaseRecord record = new ReleaseRecord();
    record.setRevision(nextRevision());
    record.setImage(image);
    record.setColor(color.label());
    record.setTemplateHash(templateHash);
    record.setStartedAt(now.toString());
    record.setCommitTime(commitTime == null ? null : commitTime.toString());
    record.setResult(ReleaseResult.PROGRESSING);
    history.add(0, record);
    while (history.size() > ReleasePlanner.HISTORY_LIMIT) {
      history.remove(history.size() - 1);
    }
    return record;
  }

  /** The release of this template has started (and is still the newest one). */
  boolean started(String templateHash) {
    return !history.isEmpty()
        && templateHash.equals(history.get(0).getTemplateHash())
        && !ReleaseResult.SUPERSEDED.equals(history.get(0).getResult());
  }

  /** A release record was created at {@code now}, by this plan. */
  boolean releaseStartedAt(Instant now) {
    return !history.isEmpty() && now.toString().equals(history.get(0).getStartedAt());
  }

  void supersedeProgressing(String reason) {
    history.stream()
        .filter(r -> ReleaseResult.PROGRESSING.equals(r.getResult()))
        .forEach(
            r -> {
              r.setResult(ReleaseResult.SUPERSEDED);
              r.setReason(reason);
            });
  }

  void markReady(ReleaseRecord record, Instant now) {
    if (record.getReadyAt() == null) {
      record.setReadyAt(now.toString());
    }
  }

  void promote(ReleaseRecord record, Color color, Instant now) {
    record.setResult(ReleaseResult.SUCCEEDED);
    record.setPromotedAt(now.toString());
    previousRelease = activeRelease;
    activeRelease =
        new ReleaseRef(
            record.getRevision(),
            record.getImage(),
            record.getPromotedAt(),
            record.getTemplateHash(),
            color.label());
    activeColor = color;
  }

  /**
   * The release fields of {@code status} after its active release was rolled back to the previous
   * one: the caller (the webhook) has checked {@link RollbackDecider} and writes them to the
   * status.
   *
   * @param switchedAt when traffic moves back; null when the previous release must start first (the
   *     reconcile that moves traffic stamps it, {@link #trafficRestored})
   */
  public static ReleasePlan.StatusFields rolledBack(
      AppEnvironmentStatus status, String reason, Instant alertStartsAt, Instant switchedAt) {
    ReleaseBook book = of(status == null ? new AppEnvironmentStatus() : status);
    book.rollBack(reason, alertStartsAt, switchedAt);
    return book.toStatusFields();
  }

  /**
   * Traffic goes back to the previous release. The rolled-back image is rejected until the spec
   * names another one, and there is no previous release any more, so a second alert cannot roll
   * back further.
   */
  void rollBack(String reason, Instant alertStartsAt, Instant switchedAt) {
    ReleaseRef bad = activeRelease;
    history.stream()
        .filter(r -> bad.getRevision().equals(r.getRevision()))
        .findFirst()
        .ifPresent(
            r -> {
              r.setResult(ReleaseResult.ROLLED_BACK);
              r.setReason(reason);
              if (alertStartsAt != null) {
                r.setAlertStartedAt(alertStartsAt.toString());
              }
              if (switchedAt != null) {
                trafficRestored(r, switchedAt);
              }
            });
    if (!rejectedImages.contains(bad.getImage())) {
      rejectedImages.add(bad.getImage());
    }
    activeColor = Color.fromLabel(previousRelease.getColor());
    activeRelease = previousRelease;
    previousRelease = null;
  }

  /**
   * Traffic is back on the previous release: the time to restore ends here, not at the decision,
   * which for a previous release scaled to zero comes its start-up time earlier.
   */
  static void trafficRestored(ReleaseRecord record, Instant switchedAt) {
    record.setRolledBackAt(switchedAt.toString());
    if (record.getAlertStartedAt() != null) {
      record.setTimeToRestoreSeconds(
          java.time.Duration.between(Instant.parse(record.getAlertStartedAt()), switchedAt)
                  .toMillis()
              / 1000.0);
    }
  }

  /** The record of the newest rollback of this image, if any. */
  Optional<ReleaseRecord> rolledBack(String image) {
    return history.stream()
        .filter(r -> ReleaseResult.ROLLED_BACK.equals(r.getResult()) && image.equals(r.getImage()))
        .findFirst();
  }

  void fail(ReleaseRecord record, String reason) {
    record.setResult(ReleaseResult.FAILED);
    record.setReason(reason);
  }

  ReleasePlan.StatusFields toStatusFields() {
    return new ReleasePlan.StatusFields(
        activeColor,
        activeRelease,
        previousRelease,
        List.copyOf(history),
        List.copyOf(rejectedImages));
  }

  private long nextRevision() {
    return Stream.concat(
                history.stream().map(ReleaseRecord::getRevision),
                Stream.of(activeRelease, previousRelease)
                    .filter(r -> r != null)
                    .map(ReleaseRef::getRevision))
            .filter(r -> r != null)
            .mapToLong(Long::longValue)
            .max()
            .orElse(0)
        + 1;
  }

  private static <T> T copy(T value, Class<T> type) {
    return value == null ? null : Serialization.jsonMapper().convertValue(value, type);
  }
}
