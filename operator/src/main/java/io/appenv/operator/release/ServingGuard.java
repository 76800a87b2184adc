package io.appenv.operator.release;

import io.appenv.operator.model.Color;
import java.util.Objects;

/**
 * Keeps a reconcile that started before a rollback from undoing it. The webhook writes the status (active
 * colour back to the previous release) and then switches the main Service itself. A reconcile planned from
 * the status as it was before would apply the old selector again until its own status write fails with a
 * conflict and the next reconcile corrects it: a moment of traffic on the rolled-back release. So the
 * selector is not moved away from a colour that the Service already selects and the latest stored status
 * names as active, when that status changed after this plan's input was read.
 */
public final class ServingGuard {
  private ServingGuard() {}

  /**
   * @param planned the colour this reconcile's plan serves
   * @param planInputActive the active colour in the status the plan was made from
   * @param latestActive the active colour in the newest status in the informer's cache
   * @param selected the colour the main Service selects now, or null
   */
  public static Color serviceColor(Color planned, String planInputActive, String latestActive, String selected) {
    boolean changedMeanwhile = latestActive != null && !Objects.equals(latestActive, planInputActive);
    if (changedMeanwhile && latestActive.equals(selected)) {
      return Color.fromLabel(latestActive);
    }
    return planned;
  }
}
