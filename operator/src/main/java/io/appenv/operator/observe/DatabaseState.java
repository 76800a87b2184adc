package io.appenv.operator.observe;

import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.Postgres;
import io.appenv.operator.builders.PostgresStatefulSetBuilder;
import io.appenv.operator.names.Names;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Optional;

/**
 * What the database StatefulSet shows, reduced to what the status reports.
 *
 * @param ready the database Pod accepts connections
 * @param runningMajor the major version the StatefulSet runs, null before it exists
 * @param wantedMajor the major version the spec asks for
 * @param rolesJob the Job that applies this operator version's roles and grants, null before it can
 *     exist
 * @param rolesApplied that Job has succeeded: the app's roles have the rights this operator version
 *     gives
 */
public record DatabaseState(
    boolean ready,
    String runningMajor,
    String wantedMajor,
    String secretName,
    String rolesJob,
    boolean rolesApplied) {

  /** The database as its StatefulSet shows it, roles not looked at. */
  public static DatabaseState of(AppEnvironment env, StatefulSet statefulSet) {
    return of(env, statefulSet, null, false);
  }

  public static DatabaseState of(
      AppEnvironment env, StatefulSet statefulSet, String rolesJob, boolean rolesApplied) {
    String running = runningMajor(statefulSet);
    boolean ready =
        statefulSet != null
            && statefulSet.getStatus() != null
            && Optional.ofNullable(statefulSet.getStatus().getReadyReplicas()).orElse(0) >= 1
            && Optional.ofNullable(statefulSet.getStatus().getObservedGeneration()).orElse(0L)
                >= Optional.ofNullable(statefulSet.getMetadata().getGeneration()).orElse(0L);
    return new DatabaseState(
        ready,
        running,
        Postgres.major(env),
        Names.databaseCredentials(env),
        rolesJob,
        rolesApplied);
  }

  /** A new major needs a dump and restore, so the operator keeps the running one and says so. */
  public boolean majorChangeRefused() {
    return runningMajor != null && !runningMajor.equals(wantedMajor);
  }

  private static String runningMajor(StatefulSet statefulSet) {
    if (statefulSet == null) {
      return null;
    }
    return statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> PostgresStatefulSetBuilder.CONTAINER.equals(c.getName()))
        .map(c -> Postgres.majorOf(c.getImage()))
        .findFirst()
        .orElse(null);
  }
}
