package io.appenv.operator.release;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseSpec;
import io.appenv.operator.model.Color;
import io.appenv.operator.model.TemplateHash;
import io.appenv.operator.model.ColorDeploymentBuilder;
import io.appenv.operator.model.Durations;
import io.appenv.operator.model.EnvironmentDefaults;
import io.appenv.operator.release.ReleasePlan.ColorPlan;
import io.appenv.operator.release.ReleasePlan.Stage;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The blue/green state machine, as a pure function of the spec, the release book in the status, the
 * colours' Deployments and the time. The status is the only memory, so a restarted operator carries on.
 */
public final class ReleasePlanner {
  public static final String PROMOTE_ANNOTATION = "platform.appenv.io/promote";
  /** Set to the active revision to roll it back by hand, as an alert would. */
  public static final String ROLLBACK_ANNOTATION = "platform.appenv.io/rollback";
  /** Set by CI to the commit's time (RFC 3339): lead time for changes counts from it. */
  public static final String COMMIT_TIMESTAMP_ANNOTATION = "platform.appenv.io/commit-timestamp";
  static final int HISTORY_LIMIT = 20;

  private final AppEnvironment env;
  private final Map<Color, ColorState> observed;
  private final Instant now;
  private final ReleaseSpec release;
  private final PodTemplateSpec template;
  private final String hash;
  private final int replicas;
  private final String image;
  private final ReleaseBook book;
  private final Map<Color, ColorPlan> deployments = new EnumMap<>(Color.class);
  private Duration recheckAfter;

  private final Function<String, JobState> backupJobs;
  private final boolean databaseReady;
  private String backupJob;

  private ReleasePlanner(AppEnvironment env, Map<Color, ColorState> observed, Instant now,
      Function<String, JobState> backupJobs, boolean databaseReady) {
    this.backupJobs = backupJobs;
    this.databaseReady = databaseReady;
    this.env = env;
    this.observed = observed;
    this.now = now;
    this.release = EnvironmentDefaults.release(env);
    this.template = ColorDeploymentBuilder.specTemplate(env);
    this.hash = TemplateHash.of(template);
    this.replicas = EnvironmentDefaults.replicas(env);
    this.image = env.getSpec().getApp().getImage();
    this.book = ReleaseBook.of(Optional.ofNullable(env.getStatus()).orElseGet(AppEnvironmentStatus::new));
  }

  /** @param observed each colour's Deployment as the cluster shows it; a missing colour has none */
  public static ReleasePlan plan(AppEnvironment env, Map<Color, ColorState> observed, Instant now) {
    return plan(env, observed, now, name -> JobState.ABSENT, true);
  }

  /**
   * @param backupJobs the state of a pre-release backup Job, by name
   * @param databaseReady the environment has no database, or it accepts connections
   */
  public static ReleasePlan plan(AppEnvironment env, Map<Color, ColorState> observed, Instant now,
      Function<String, JobState> backupJobs, boolean databaseReady) {
    return new ReleasePlanner(env, observed, now, backupJobs, databaseReady).plan();
  }

  /** The name of the backup Job that must succeed before a revision with migrations is promoted. */
  public static String preReleaseBackupJob(AppEnvironment env, long revision) {
    return env.getMetadata().getName() + "-prerelease-" + revision;
  }

  /**
   * The release fields after rolling the active release back to the previous one: the caller has
   * checked {@link RollbackDecider} and writes them to the status.
   */
  public static ReleasePlan.Book rollBack(AppEnvironment env, String reason, Instant alertStartsAt,
      Instant switchedAt) {
    ReleaseBook book = ReleaseBook.of(Optional.ofNullable(env.getStatus()).orElseGet(AppEnvironmentStatus::new));
    book.rollBack(reason, alertStartsAt, switchedAt);
    return book.toBook();
  }

  private ReleasePlan plan() {
    List<ReleasePlan.Decision> notes = new ArrayList<>();
    if (manualRollbackRequested()) {
      String reason = "manual rollback of revision " + book.activeRelease().getRevision() + " (annotation "
          + ROLLBACK_ANNOTATION + ")";
      book.rollBack(reason, null, now);
      notes.add(new ReleasePlan.Decision(true, "RolledBack", "Rolled back: " + reason));
    }
    ReleasePlan plan = planRelease();
    String commitTimestamp = annotation(COMMIT_TIMESTAMP_ANNOTATION);
    if (book.releaseStartedAt(now) && commitTimestamp != null && commitTime().isEmpty()) {
      notes.add(new ReleasePlan.Decision(true, "InvalidCommitTimestamp", "Annotation " + COMMIT_TIMESTAMP_ANNOTATION
          + "=\"" + commitTimestamp + "\" is not an RFC 3339 time: lead time counts from the release's start instead"));
    }
    plan.decisions().addAll(0, notes);
    return plan;
  }

  private String annotation(String name) {
    return Optional.ofNullable(env.getMetadata().getAnnotations()).map(a -> a.get(name)).orElse(null);
  }

  /** The commit time CI set, if it is a valid RFC 3339 time. */
  private Optional<Instant> commitTime() {
    String value = annotation(COMMIT_TIMESTAMP_ANNOTATION);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.OffsetDateTime.parse(value).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The annotation names the active revision, and there is a previous one to go back to. */
  private boolean manualRollbackRequested() {
    String wanted = Optional.ofNullable(env.getMetadata().getAnnotations()).map(a -> a.get(ROLLBACK_ANNOTATION))
        .orElse(null);
    return wanted != null && book.activeRelease() != null && book.hasPrevious()
        && String.valueOf(book.activeRelease().getRevision()).equals(wanted);
  }

  private ReleasePlan planRelease() {
    if (book.activeColor() != null && hash.equals(book.activeRelease().getTemplateHash())) {
      return steady();
    }
    if (book.activeColor() != null && book.isRejected(image)) {
      return rejectedImage();
    }
    if (!databaseReady && !book.started(hash)) {
      return waitForDatabase();
    }
    return book.activeColor() == null ? firstRelease() : newRelease();
  }

  /** A release that has not started yet waits while the database does not accept connections. */
  private ReleasePlan waitForDatabase() {
    Color active = book.activeColor();
    if (active == null) {
      return result(Stage.WAITING_FOR_DATABASE, Color.BLUE, Color.BLUE, "The first release of " + image
          + " starts once the database accepts connections");
    }
    keepActive(active);
    keepIdleWarmUntilScaleDownDelay(active.other());
    return result(Stage.WAITING_FOR_DATABASE, active, active, "The release of " + image + " starts once the"
        + " database accepts connections; revision " + book.activeRelease().getRevision() + " serves on "
        + active.label());
  }

  private ReleasePlan firstRelease() {
    ReleaseRecord record = book.recordFor(hash, image, Color.BLUE, now, commitTime().orElse(null));
    deployments.put(Color.BLUE, new ColorPlan(template, hash, replicas));
    return progress(record, Color.BLUE);
  }

  private ReleasePlan steady() {
    Color active = book.activeColor();
    book.supersedeProgressing("spec.app returned to the active release");
    deployments.put(active, new ColorPlan(template, hash, replicas));
    keepIdleWarmUntilScaleDownDelay(active.other());
    return result(Stage.STEADY, active, active, "Revision " + book.activeRelease().getRevision() + " ("
        + book.activeRelease().getImage() + ") serves on " + active.label());
  }

  /**
   * The spec still names an image that was rolled back: run the restored release, and take the rejected
   * colour down once the restored one is available again (at once when it was kept warm).
   */
  private ReleasePlan rejectedImage() {
    Color active = book.activeColor();
    keepActive(active);
    ColorState restored = observed.get(active);
    boolean restoredServes = restored != null && restored.available() && restored.replicas() == replicas;
    ColorState rejected = observed.get(active.other());
    Color serving = active;
    if (rejected != null) {
      deployments.put(active.other(), new ColorPlan(rejected.template(), rejected.templateHash(),
          restoredServes ? 0 : rejected.replicas()));
      if (!restoredServes) {
        serving = active.other();
        recheckWithin(Duration.ofSeconds(5));
      }
    }
    String why = book.rolledBack(image).map(r -> "Revision " + r.getRevision() + " (" + image + ") was rolled back: "
        + r.getReason()).orElse("Image " + image + " was rolled back");
    return result(Stage.ROLLED_BACK, serving, active, why + ". It is not released again: set spec.app.image to a"
        + " fixed image");
  }

  private ReleasePlan newRelease() {
    Color active = book.activeColor();
    Color candidate = active.other();
    keepActive(active);
    ReleaseRecord record = book.recordFor(hash, image, candidate, now, commitTime().orElse(null));
    if (ReleaseResult.FAILED.equals(record.getResult())) {
      deployments.put(candidate, new ColorPlan(template, hash, 0));
      return result(Stage.FAILED, active, candidate, failureMessage(record));
    }
    deployments.put(candidate, new ColorPlan(template, hash, replicas));
    return progress(record, candidate);
  }

  /** The candidate is starting: promote it once available, fail it after the progress deadline. */
  private ReleasePlan progress(ReleaseRecord record, Color candidate) {
    Color serving = Optional.ofNullable(book.activeColor()).orElse(candidate);
    ColorState state = observed.get(candidate);
    if (state != null && state.runs(hash, replicas)) {
      book.markReady(record, now);
      ReleasePlan waiting = awaitPreReleaseBackup(record, serving, candidate);
      if (waiting != null) {
        return waiting;
      }
      if (Boolean.FALSE.equals(release.getAutoPromote()) && !promotionRequested(record)) {
        return result(Stage.AWAITING_PROMOTION, serving, candidate, "Revision " + record.getRevision()
            + " is available on " + candidate.label() + "; promote it with: kubectl annotate appenv "
            + env.getMetadata().getName() + " " + PROMOTE_ANNOTATION + "=" + record.getRevision() + " --overwrite");
      }
      Color previous = book.activeColor();
      book.promote(record, candidate, now);
      if (previous != null) {
        keepIdleWarmUntilScaleDownDelay(previous);
      }
      // Same words as steady(), so the next reconcile finds the status unchanged and writes nothing.
      return result(Stage.STEADY, candidate, candidate, "Revision " + record.getRevision() + " (" + image
          + ") serves on " + candidate.label(), List.of(new ReleasePlan.Decision(false, "Promoted",
          "Promoted revision " + record.getRevision() + " (" + image + ") to " + candidate.label())));
    }
    Duration deadline = Durations.parse(release.getProgressDeadline());
    Instant due = Instant.parse(record.getStartedAt()).plus(deadline);
    if (!now.isBefore(due)) {
      book.fail(record, "not available within the progress deadline of " + release.getProgressDeadline());
      deployments.put(candidate, new ColorPlan(template, hash, 0));
      return result(Stage.FAILED, serving, candidate, failureMessage(record));
    }
    recheckWithin(Duration.between(now, due));
    return result(Stage.PROGRESSING, serving, candidate, "Revision " + record.getRevision() + " (" + image
        + ") starting on " + candidate.label() + (state == null ? "" : ": " + state.replicas() + " replicas"));
  }

  /**
   * With release.migrations, a backup Job must succeed before traffic moves to a release that may change
   * the schema; a failed backup fails the release. Null when there is nothing to wait for.
   */
  private ReleasePlan awaitPreReleaseBackup(ReleaseRecord record, Color serving, Color candidate) {
    if (!Boolean.TRUE.equals(release.getMigrations()) || env.getSpec().getDatabase() == null
        || book.activeColor() == null) {
      return null;
    }
    String job = preReleaseBackupJob(env, record.getRevision());
    record.setPreReleaseBackup(job);
    JobState state = backupJobs.apply(job);
    if (state == JobState.SUCCEEDED) {
      return null;
    }
    if (state == JobState.FAILED) {
      book.fail(record, "the pre-release backup " + job + " failed");
      deployments.put(candidate, new ColorPlan(template, hash, 0));
      return result(Stage.FAILED, serving, candidate, failureMessage(record));
    }
    backupJob = job;
    return result(Stage.PROGRESSING, serving, candidate, "Revision " + record.getRevision()
        + " is available; promotion waits for the pre-release backup " + job + " (release.migrations)");
  }

  private boolean promotionRequested(ReleaseRecord record) {
    String wanted = Optional.ofNullable(env.getMetadata().getAnnotations())
        .map(a -> a.get(PROMOTE_ANNOTATION)).orElse(null);
    return String.valueOf(record.getRevision()).equals(wanted);
  }

  /** The active colour keeps the template it was promoted with, whatever the spec says now. */
  private void keepActive(Color active) {
    ColorState state = observed.get(active);
    if (state != null && state.templateHash() != null) {
      deployments.put(active, new ColorPlan(state.template(), state.templateHash(), replicas));
    } else {
      // Deleted by hand: its old template is gone, so the spec's is the best that can be run.
      deployments.put(active, new ColorPlan(template, hash, replicas));
    }
  }

  /** The previous release stays scaled up for scaleDownDelay after a promotion, for an instant rollback. */
  private void keepIdleWarmUntilScaleDownDelay(Color idle) {
    ColorState state = observed.get(idle);
    if (state == null || state.templateHash() == null) {
      return;
    }
    Instant until = Optional.ofNullable(book.activeRelease().getPromotedAt()).map(Instant::parse).orElse(now)
        .plus(Durations.parse(release.getScaleDownDelay()));
    boolean warm = now.isBefore(until);
    if (warm) {
      recheckWithin(Duration.between(now, until));
    }
    deployments.put(idle, new ColorPlan(state.template(), state.templateHash(), warm ? replicas : 0));
  }

  private void recheckWithin(Duration duration) {
    Duration atLeastASecond = duration.plusSeconds(1);
    recheckAfter = recheckAfter == null || atLeastASecond.compareTo(recheckAfter) < 0 ? atLeastASecond : recheckAfter;
  }

  private static String failureMessage(ReleaseRecord record) {
    return "Revision " + record.getRevision() + " (" + record.getImage() + ") failed: " + record.getReason()
        + "; traffic stays on the active release. Fix it with a new spec.app.image";
  }

  private ReleasePlan result(Stage stage, Color serving, Color preview, String message) {
    return result(stage, serving, preview, message, List.of());
  }

  private ReleasePlan result(Stage stage, Color serving, Color preview, String message,
      List<ReleasePlan.Decision> decisions) {
    return new ReleasePlan(deployments, serving, preview, stage, message, book.toBook(), new ArrayList<>(decisions),
        recheckAfter, backupJob);
  }
}
