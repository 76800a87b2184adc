package io.appenv.operator.status;

import io.appenv.operator.observe.AddOns;
import io.appenv.operator.observe.BackupHealth;
import io.appenv.operator.observe.DatabaseState;
import io.appenv.operator.observe.RolloutState;
import io.appenv.operator.release.ReleasePlan;
import java.util.List;

/**
 * What one reconcile learned, the input of the status aggregator.
 *
 * @param rollout the Rolling strategy's Deployment, or null
 * @param addOns the optional add-ons' objects, or null when the spec is invalid
 * @param release the blue/green release plan, or null
 * @param database the database's state, or null without spec.database
 * @param backup the logical backups' health, or null without them
 */
public record Observation(
    long generation,
    List<String> specProblems,
    RolloutState rollout,
    AddOns addOns,
    ReleasePlan release,
    DatabaseState database,
    BackupHealth backup) {
  /** A spec that cannot be applied: nothing else was observed. */
  public static Observation invalid(long generation, List<String> specProblems) {
    return new Observation(generation, specProblems, null, null, null, null, null);
  }

  public boolean specValid() {
    return specProblems.isEmpty();
  }
}
