package io.appenv.operator.release;

import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.ReleaseRecord;
import io.appenv.operator.api.ReleaseRef;
import io.appenv.operator.events.Reason;
import io.appenv.operator.names.Color;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one reconcile of a blue/green environment should make true: which template each colour runs
 * with how many replicas, where the Services point, and the release book to write to the status.
 *
 * @param deployments the colours that should have a Deployment; a colour absent here has none
 * @param serving the colour the main Service sends traffic to
 * @param preview the colour the preview Service points at (the candidate, else the active one)
 * @param statusFields the release fields of the status after this plan
 * @param notices what this plan decided or found that people should hear of (promotions, manual
 *     rollbacks, an invalid commit time), each an Event
 * @param recheckAfter when a time-based step (progress deadline, scale-down delay) is due; null if
 *     none
 * @param backupJob the pre-release backup Job that must exist (release.migrations), or null
 */
public record ReleasePlan(
    Map<Color, ColorPlan> deployments,
    Color serving,
    Color preview,
    Stage stage,
    String message,
    StatusFields statusFields,
    List<Notice> notices,
    Duration recheckAfter,
    String backupJob) {

  public enum Stage {
    /** The active release serves and nothing is pending. */
    STEADY,
    /** A new release is starting on the idle colour (or the first one on blue). */
    PROGRESSING,
    /**
     * The new release's pods cannot start for a reason someone has to fix (a missing Secret, an
     * image that cannot be pulled, a crash loop, no node that fits); traffic stays. It fails at its
     * progress deadline unless the cause goes away.
     */
    CANNOT_START,
    /** The new release is available and waits for a manual promotion (autoPromote: false). */
    AWAITING_PROMOTION,
    /** The new release did not become available within the progress deadline; traffic stayed. */
    FAILED,
    /**
     * The active release was rolled back; spec.app.image, still naming it, is not released again.
     */
    ROLLED_BACK,
    /**
     * A release waits for its database to accept connections before it starts: its pods could not
     * become ready, and its progress deadline would run out on a database that is still
     * initialising.
     */
    WAITING_FOR_DATABASE
  }

  /**
   * Something the plan decided or found that people should hear about: an Event, Warning or Normal.
   */
  public record Notice(boolean warning, Reason reason, String message) {}

  /** One colour's Deployment: the pod template (without colour), its hash, and its replicas. */
  public record ColorPlan(PodTemplateSpec template, String templateHash, int replicas) {}

  /** The release fields of the status; ReleaseBook is the working copy they come from. */
  public record StatusFields(
      Color activeColor,
      ReleaseRef activeRelease,
      ReleaseRef previousRelease,
      List<ReleaseRecord> history,
      List<String> rejectedImages) {

    public void writeTo(AppEnvironmentStatus status) {
      status.setActiveColor(activeColor == null ? null : activeColor.label());
      status.setActiveRelease(activeRelease);
      status.setPreviousRelease(previousRelease);
      status.setHistory(history);
      status.setRejectedImages(rejectedImages);
    }
  }
}
