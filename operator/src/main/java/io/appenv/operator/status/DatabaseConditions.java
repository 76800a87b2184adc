package io.appenv.operator.status;

import io.appenv.operator.api.AppEnvironmentStatus;
import io.appenv.operator.api.Condition;
import io.appenv.operator.api.DatabaseStatus;
import io.appenv.operator.api.Phase;
import io.appenv.operator.observe.DatabaseState;
import java.util.function.BiConsumer;

/** DatabaseReady, and what the database means for Ready, Degraded and the phase. */
final class DatabaseConditions {
  private DatabaseConditions() {}

  static void apply(
      DatabaseState db, AppEnvironmentStatus status, BiConsumer<Phase, Condition[]> sink) {
    DatabaseStatus summary = new DatabaseStatus();
    summary.setReady(db.ready());
    summary.setSecretName(db.secretName());
    status.setDatabase(summary);
    if (db.majorChangeRefused()) {
      String message =
          "PostgreSQL stays on "
              + db.runningMajor()
              + ": a change of major version to "
              + db.wantedMajor()
              + " needs a dump and restore (docs/database.md); set spec.database.version back to "
              + db.runningMajor();
      sink.accept(
          Phase.Degraded,
          new Condition[] {
            Conditions.of(
                ConditionType.DATABASE_READY, db.ready(), "MajorVersionChangeRefused", message),
            Conditions.of(ConditionType.DEGRADED, true, "MajorVersionChangeRefused", message)
          });
      return;
    }
    if (db.ready() && db.rolesApplied()) {
      sink.accept(
          status.getPhase(),
          new Condition[] {
            Conditions.of(
                ConditionType.DATABASE_READY,
                true,
                "Ready",
                "PostgreSQL " + db.runningMajor() + " accepts connections")
          });
      return;
    }
    // Until the roles Job has run, the app's roles may lack a right this operator version gives
    // them.
    String reason = db.ready() ? "ApplyingRoles" : "Starting";
    String message =
        db.ready()
            ? "PostgreSQL "
                + db.runningMajor()
                + " accepts connections; Job "
                + db.rolesJob()
                + " applies the roles and grants of this operator version"
            : "PostgreSQL " + db.wantedMajor() + " is starting";
    Phase phase = status.getPhase() == Phase.Ready ? Phase.Progressing : status.getPhase();
    sink.accept(
        phase,
        new Condition[] {
          Conditions.of(ConditionType.DATABASE_READY, false, reason, message),
          Conditions.of(ConditionType.READY, false, "DatabaseNotReady", message)
        });
  }
}
