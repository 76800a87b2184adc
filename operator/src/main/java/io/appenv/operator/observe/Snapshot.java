package io.appenv.operator.observe;

import io.appenv.operator.names.Color;
import java.time.Instant;
import java.util.Map;

/**
 * What one reconcile saw of an environment's objects before the workflow applied anything: the
 * release plan and the dependents' conditions decide from this alone, so each is read once.
 *
 * @param at when it was taken: the one "now" of the reconcile's decisions
 * @param colors each colour's Deployment; a colour absent here has none
 * @param appDeploymentExists the Rolling strategy's Deployment exists
 * @param database the database as its StatefulSet shows it (roles not looked at), or null without
 *     spec.database
 * @param credentialsUid the uid of the database's credentials Secret, or null before it exists
 * @param jobs the state of each of the environment's Jobs, by name
 * @param pods why a colour's pods do not start, read only when a release asks at one of its looks
 */
public record Snapshot(
    Instant at,
    Map<Color, ColorState> colors,
    boolean appDeploymentExists,
    DatabaseState database,
    String credentialsUid,
    Map<String, JobState> jobs,
    PodLooks pods) {

  public Snapshot {
    colors = Map.copyOf(colors);
    jobs = Map.copyOf(jobs);
  }

  /** The environment has no database, or it accepts connections. */
  public boolean databaseReady() {
    return database == null || database.ready();
  }

  public JobState job(String name) {
    return jobs.getOrDefault(name, JobState.ABSENT);
  }
}
