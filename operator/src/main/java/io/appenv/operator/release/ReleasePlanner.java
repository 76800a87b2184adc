package io.appenv.operator.release;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseSpec;
import io.appenv.operator.builders.ColorDeploymentBuilder;
import io.appenv.operator.builders.TemplateHash;
import io.appenv.operator.events.Reason;
import io.appenv.operator.names.Color;
import io.appenv.operator.observe.ColorState;
import io.appenv.operator.observe.JobState;
import io.appenv.operator.observe.Snapshot;
import io.appenv.operator.release.ReleasePlan.ColorPlan;
import io.appenv.operator.release.ReleasePlan.Notice;
import io.appenv.operator.release.ReleasePlan.Stage;
import io.appenv.operator.spec.Durations;
import io.appenv.operator.spec.EnvironmentDefaults;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The blue/green state machine, as a pure function of the spec, the release book in the status, the
 * colours' Deployments and the time. The status is the only memory, so a restarted operator carries
 * on. Each stage returns its own plan; the planner's fields are its inputs.
 */
public final class ReleasePlanner {
  /**
   * How long a colour that traffic left keeps running after a rollback: the Service's endpoints and
   * every node's kube-proxy rules follow the selector within about a second, and until then new
   * connections still reach the old Pods, which must still be there (measured on the real node: 50
   * of 1,527 requests failed when the rejected colour went at the moment of the switch).
   */
  static final Duration TRAFFIC_DRAIN = Duration.ofSeconds(10);

  static final int HISTORY_LIMIT = 20;

  /**
   * A release's pods are asked why they do not start only after this long (pulling an image and
   * starting a JVM are no problem), then again at twice, four times... as long since it started: no
   * pod event wakes the reconciler, and a release stuck for long is looked at rarely.
   */
  static final Duration START_CHECK = Duration.ofSeconds(15);

  private final AppEnvironment env;
  private final Map<Color, ColorState> observed;
  private final Instant now;
  private final ReleaseSpec release;
  private final PodTemplateSpec template;
  private final String hash;
  private final int replicas;
  private final String image;
  private final ReleaseBook book;
  private final Snapshot snapshot;

  private ReleasePlanner(AppEnvironment env, Snapshot snapshot) {
    this.env = env;
    this.snapshot = snapshot;
    this.observed = snapshot.colors();
    this.now = snapshot.at();
    this.release = EnvironmentDefaults.release(env);
    this.template = ColorDeploymentBuilder.specTemplate(env);
    this.hash = TemplateHash.of(template);
    this.replicas = EnvironmentDefaults.replicas(env);
    this.image = env.getSpec().getApp().getImage();
    this.book =
        ReleaseBook.of(Optional.ofNullable(env.getStatus()).orElseGet(AppEnvironmentStatus::new));
  }

  /**
   * The plan of one reconcile, from the spec, the release book in the status and what the snapshot
   * shows. It is settled by the status it writes: planned again from that status and the same
   * snapshot, it decides the same (ReleasePlannerTest), so a reconcile plans once.
   */
  public static ReleasePlan plan(AppEnvironment env, Snapshot snapshot) {
    return new ReleasePlanner(env, snapshot).plan();
  }

  /** The name of the backup Job that must succeed before a revision with migrations is promoted. */
  public static String preReleaseBackupJob(AppEnvironment env, long revision) {
    return env.getMetadata().getName() + "-prerelease-" + revision;
  }

  private ReleasePlan plan() {
    List<Notice> notices = new ArrayList<>();
    if (book.activeRelease() != null
        && book.hasPrevious()
        && ReleaseAnnotations.rollsBack(env, book.activeRelease().getRevision())) {
      String reason =
          "manual rollback of revision "
              + book.activeRelease().getRevision()
              + " (annotation "
              + ReleaseAnnotations.ROLLBACK
              + ")";
      // Traffic moves when the previous colour serves: rejectedImage() stamps it then.
      book.rollBack(reason, null, null);
      notices.add(new Notice(true, Reason.ROLLED_BACK, "Rolled back: " + reason));
    }
    ReleasePlan plan = planRelease();
    if (book.releaseStartedAt(now) && ReleaseAnnotations.commitTimeInvalid(env)) {
      notices.add(
          new Notice(
              true,
              Reason.INVALID_COMMIT_TIMESTAMP,
              "Annotation "
                  + ReleaseAnnotations.COMMIT_TIMESTAMP
                  + "=\""
                  + ReleaseAnnotations.value(env, ReleaseAnnotations.COMMIT_TIMESTAMP).orElse("")
                  + "\" is not an RFC 3339 time: lead time counts from the release's start instead"));
    }
    plan.notices().addAll(0, notices);
    return plan;
  }

  private ReleasePlan planRelease() {
    if (book.activeColor() != null && hash.equals(book.activeRelease().getTemplateHash())) {
      return steady();
    }
    if (book.activeColor() != null && book.isRejected(image)) {
      return rejectedImage();
    }
    if (!snapshot.databaseReady() && !book.started(hash)) {
      return waitForDatabase();
    }
    return book.activeColor() == null ? firstRelease() : newRelease();
  }

  /** A release that has not started yet waits while the database does not accept connections. */
  private ReleasePlan waitForDatabase() {
    Color active = book.activeColor();
    Draft draft = new Draft();
    if (active == null) {
      return draft.result(
          Stage.WAITING_FOR_DATABASE,
          Color.BLUE,
          Color.BLUE,
          "The first release of " + image + " starts once the database accepts connections");
    }
    keepActive(draft, active);
    keepIdleWarmUntilScaleDownDelay(draft, active.other());
    return draft.result(
        Stage.WAITING_FOR_DATABASE,
        active,
        active,
        "The release of "
            + image
            + " starts once the"
            + " database accepts connections; revision "
            + book.activeRelease().getRevision()
            + " serves on "
            + active.label());
  }

  private ReleasePlan firstRelease() {
    ReleaseRecord record =
        book.recordFor(
            hash, image, Color.BLUE, now, ReleaseAnnotations.commitTime(env).orElse(null));
    Draft draft = new Draft();
    draft.run(Color.BLUE, new ColorPlan(template, hash, replicas));
    return progress(draft, record, Color.BLUE);
  }

  private ReleasePlan steady() {
    Color active = book.activeColor();
    book.supersedeProgressing("spec.app returned to the active release");
    Draft draft = new Draft();
    draft.run(active, new ColorPlan(template, hash, replicas));
    keepIdleWarmUntilScaleDownDelay(draft, active.other());
    return draft.result(
        Stage.STEADY,
        active,
        active,
        servesMessage(book.activeRelease().getRevision(), book.activeRelease().getImage(), active));
  }

  /**
   * The spec still names an image that was rolled back: run the restored release, and take the
   * rejected colour down once traffic has been on the restored one for {@link #TRAFFIC_DRAIN}.
   */
  private ReleasePlan rejectedImage() {
    Color active = book.activeColor();
    Draft draft = new Draft();
    keepActive(draft, active);
    ColorState restored = observed.get(active);
    boolean restoredServes =
        restored != null && restored.available() && restored.replicas() == replicas;
    if (restoredServes) {
      // A cold rollback: this reconcile moves the Service, so traffic is back now.
      book.rolledBack(image)
          .filter(r -> r.getRolledBackAt() == null)
          .ifPresent(r -> ReleaseBook.trafficRestored(r, now));
    }
    ColorState rejected = observed.get(active.other());
    Color serving = active;
    if (rejected != null) {
      Instant drained = restoredServes ? drainedAt(restored) : null;
      boolean keepRejected = !restoredServes || now.isBefore(drained);
      draft.run(
          active.other(),
          new ColorPlan(
              rejected.template(),
              rejected.templateHash(),
              keepRejected ? rejected.replicas() : 0));
      if (!restoredServes) {
        serving = active.other();
        draft.recheckWithin(Duration.ofSeconds(5));
      } else if (keepRejected) {
        draft.recheckWithin(Duration.between(now, drained));
      }
    }
    String why =
        book.rolledBack(image)
            .map(
                r ->
                    "Revision "
                        + r.getRevision()
                        + " ("
                        + image
                        + ") was rolled back: "
                        + r.getReason())
            .orElse("Image " + image + " was rolled back");
    return draft.result(
        Stage.ROLLED_BACK,
        serving,
        active,
        why + ". It is not released again: set spec.app.image" + " to a fixed image");
  }

  private ReleasePlan newRelease() {
    Color active = book.activeColor();
    Color candidate = active.other();
    Draft draft = new Draft();
    keepActive(draft, active);
    ReleaseRecord record =
        book.recordFor(
            hash, image, candidate, now, ReleaseAnnotations.commitTime(env).orElse(null));
    if (ReleaseResult.FAILED.equals(record.getResult())) {
      draft.run(candidate, new ColorPlan(template, hash, 0));
      return draft.result(Stage.FAILED, active, candidate, failureMessage(record));
    }
    draft.run(candidate, new ColorPlan(template, hash, replicas));
    return progress(draft, record, candidate);
  }

  /** The candidate is starting: promote it once available, fail it after the progress deadline. */
  private ReleasePlan progress(Draft draft, ReleaseRecord record, Color candidate) {
    Color serving = Optional.ofNullable(book.activeColor()).orElse(candidate);
    ColorState state = observed.get(candidate);
    if (state != null && state.runs(hash, replicas)) {
      record.setReason(null); // a cause it could not start for is gone
      book.markReady(record, now);
      Optional<ReleasePlan> waiting = awaitPreReleaseBackup(draft, record, serving, candidate);
      if (waiting.isPresent()) {
        return waiting.get();
      }
      if (Boolean.FALSE.equals(release.getAutoPromote())
          && !ReleaseAnnotations.promotes(env, record.getRevision())) {
        return draft.result(
            Stage.AWAITING_PROMOTION,
            serving,
            candidate,
            "Revision "
                + record.getRevision()
                + " is available on "
                + candidate.label()
                + "; promote it with: kubectl annotate appenv "
                + env.getMetadata().getName()
                + " "
                + ReleaseAnnotations.PROMOTE
                + "="
                + record.getRevision()
                + " --overwrite");
      }
      Color previous = book.activeColor();
      book.promote(record, candidate, now);
      if (previous != null) {
        keepIdleWarmUntilScaleDownDelay(draft, previous);
      }
      // Same words as steady(), so the next reconcile finds
      // the status unchanged and writes nothing.
      return draft.result(
          Stage.STEADY,
          candidate,
          candidate,
          servesMessage(record.getRevision(), image, candidate),
          new Notice(
              false,
              Reason.PROMOTED,
              "Promoted revision "
                  + record.getRevision()
                  + " ("
                  + image
                  + ") to "
                  + candidate.label()));
    }
    Instant started = Instant.parse(record.getStartedAt());
    Instant due = started.plus(Durations.parse(release.getProgressDeadline()));
    Optional<String> cannotStart =
        now.isBefore(started.plus(START_CHECK))
            ? Optional.empty()
            : snapshot
                .pods()
                .whyNotStarting(candidate, started.plus(lastLook(Duration.between(started, now))));
    if (!now.isBefore(due)) {
      book.fail(
          record,
          "not available within the progress deadline of "
              + release.getProgressDeadline()
              + cannotStart.map(why -> ": " + why).orElse(""));
      draft.run(candidate, new ColorPlan(template, hash, 0));
      return draft.result(Stage.FAILED, serving, candidate, failureMessage(record));
    }
    draft.recheckWithin(Duration.between(now, due));
    draft.recheckWithin(untilNextLook(Duration.between(started, now)));
    // The record keeps the cause, so the Warning is sent once per cause, not on every recheck.
    String known = record.getReason();
    record.setReason(cannotStart.orElse(null));
    if (cannotStart.isPresent()) {
      String message =
          "Revision "
              + record.getRevision()
              + " ("
              + image
              + ") cannot start on "
              + candidate.label()
              + ": "
              + cannotStart.get();
      return cannotStart.get().equals(known)
          ? draft.result(Stage.CANNOT_START, serving, candidate, message)
          : draft.result(
              Stage.CANNOT_START,
              serving,
              candidate,
              message,
              new Notice(true, Reason.RELEASE_CANNOT_START, message));
    }
    return draft.result(
        Stage.PROGRESSING,
        serving,
        candidate,
        "Revision "
            + record.getRevision()
            + " ("
            + image
            + ") starting on "
            + candidate.label()
            + (state == null
                ? ""
                : ": " + state.replicas() + (state.replicas() == 1 ? " replica" : " replicas")));
  }

  /**
   * A release's latest look at its pods at or before its age (at least {@link #START_CHECK}): the
   * reconciles between two looks, woken by other changes, reuse what the last one read.
   */
  static Duration lastLook(Duration age) {
    Duration look = START_CHECK;
    while (look.multipliedBy(2).compareTo(age) <= 0) {
      look = look.multipliedBy(2);
    }
    return look;
  }

  /** From a release's age to its next look at the pods: at 15 s, 30 s, 1 min, 2 min... */
  static Duration untilNextLook(Duration age) {
    Duration next = age.compareTo(START_CHECK) < 0 ? START_CHECK : lastLook(age).multipliedBy(2);
    return next.minus(age);
  }

  /**
   * With release.migrations, a backup Job must succeed before traffic moves to a release that may
   * change the schema; a failed backup fails the release. Empty when there is nothing to wait for.
   */
  private Optional<ReleasePlan> awaitPreReleaseBackup(
      Draft draft, ReleaseRecord record, Color serving, Color candidate) {
    if (!Boolean.TRUE.equals(release.getMigrations())
        || env.getSpec().getDatabase() == null
        || book.activeColor() == null) {
      return Optional.empty();
    }
    String job = preReleaseBackupJob(env, record.getRevision());
    record.setPreReleaseBackup(job);
    JobState state = snapshot.job(job);
    if (state == JobState.SUCCEEDED) {
      return Optional.empty();
    }
    if (state == JobState.FAILED) {
      book.fail(record, "the pre-release backup " + job + " failed");
      draft.run(candidate, new ColorPlan(template, hash, 0));
      return Optional.of(draft.result(Stage.FAILED, serving, candidate, failureMessage(record)));
    }
    draft.backupJob(job);
    return Optional.of(
        draft.result(
            Stage.PROGRESSING,
            serving,
            candidate,
            "Revision "
                + record.getRevision()
                + " is available; promotion waits for the pre-release backup "
                + job
                + " (release.migrations)"));
  }

  /** The active colour keeps the template it was promoted with, whatever the spec says now. */
  private void keepActive(Draft draft, Color active) {
    ColorState state = observed.get(active);
    if (state != null && state.templateHash() != null) {
      draft.run(active, new ColorPlan(state.template(), state.templateHash(), replicas));
    } else {
      // Deleted by hand: its old template is gone, so the spec's is the best that can be run.
      draft.run(active, new ColorPlan(template, hash, replicas));
    }
  }

  /**
   * The previous release stays scaled up for scaleDownDelay after a promotion, for an instant
   * rollback, and never less than {@link #TRAFFIC_DRAIN}: kube-proxy still sends it the connections
   * it had when the Service moved.
   */
  private void keepIdleWarmUntilScaleDownDelay(Draft draft, Color idle) {
    ColorState state = observed.get(idle);
    if (state == null || state.templateHash() == null) {
      return;
    }
    Duration delay = Durations.parse(release.getScaleDownDelay());
    Instant until =
        Optional.ofNullable(book.activeRelease().getPromotedAt())
            .map(Instant::parse)
            .orElse(now)
            .plus(delay.compareTo(TRAFFIC_DRAIN) < 0 ? TRAFFIC_DRAIN : delay);
    boolean warm = now.isBefore(until);
    if (warm) {
      draft.recheckWithin(Duration.between(now, until));
    }
    draft.run(idle, new ColorPlan(state.template(), state.templateHash(), warm ? replicas : 0));
  }

  /**
   * When the rejected colour may go: {@link #TRAFFIC_DRAIN} after traffic moved to the restored
   * one: at the rollback (warm: the webhook switched) or at the reconcile that found the restored
   * colour available (cold), whichever is later.
   */
  private Instant drainedAt(ColorState restored) {
    Instant switched =
        book.rolledBack(image)
            .map(ReleaseRecord::getRolledBackAt)
            .map(Instant::parse)
            .orElse(Instant.EPOCH);
    if (restored.availableSince() != null && restored.availableSince().isAfter(switched)) {
      switched = restored.availableSince();
    }
    return switched.plus(TRAFFIC_DRAIN);
  }

  private static String servesMessage(long revision, String image, Color color) {
    return "Revision " + revision + " (" + image + ") serves on " + color.label();
  }

  private static String failureMessage(ReleaseRecord record) {
    return "Revision "
        + record.getRevision()
        + " ("
        + record.getImage()
        + ") failed: "
        + record.getReason()
        + "; traffic stays on the active release. A change of spec.app (image, env, resources) starts a new release";
  }

  /**
   * What one stage decides: which colours run, when to look again, a Job to create; then its plan.
   */
  private final class Draft {
    private final Map<Color, ColorPlan> deployments = new EnumMap<>(Color.class);
    private Duration recheckAfter;
    private String backupJob;

    void run(Color color, ColorPlan plan) {
      deployments.put(color, plan);
    }

    void recheckWithin(Duration duration) {
      Duration atLeastASecond = duration.plusSeconds(1);
      recheckAfter =
          recheckAfter == null || atLeastASecond.compareTo(recheckAfter) < 0
              ? atLeastASecond
              : recheckAfter;
    }

    void backupJob(String job) {
      backupJob = job;
    }

    ReleasePlan result(
        Stage stage, Color serving, Color preview, String message, Notice... notices) {
      return new ReleasePlan(
          deployments,
          serving,
          preview,
          stage,
          message,
          book.toStatusFields(),
          new ArrayList<>(List.of(notices)),
          recheckAfter,
          backupJob);
    }
  }
}
