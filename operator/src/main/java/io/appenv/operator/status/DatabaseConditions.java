package io.appenv.operator.status;

import io.appenv.operator.api.DatabaseStatus;
import io.appenv.operator.api.Phase;
import io.appenv.operator.events.Reason;
import io.appenv.operator.observe.DatabaseState;

/** DatabaseReady, and what the database means for Ready, Degraded and the phase. */
final class DatabaseConditions {
  private DatabaseConditions() {}

  /**
   * @param phase the phase the release or rollout decided
   */
  static Verdict of(DatabaseState db, Phase phase) {
    if (db.majorChangeRefused()) {
      String message =
          "PostgreSQL stays on "
              + db.runningMajor()
              + ": a change of major version to "
              + db.wantedMajor()
              + " needs a dump and restore (docs/database.md); set spec.database.version back to "
              + db.runningMajor();
      return Verdict.of(
          Phase.Degraded,
          Conditions.of(
              ConditionType.DATABASE_READY,
              db.ready(),
              Reason.MAJOR_VERSION_CHANGE_REFUSED,
              message),
          Conditions.of(
              ConditionType.DEGRADED, true, Reason.MAJOR_VERSION_CHANGE_REFUSED, message));
    }
    if (db.ready() && db.rolesApplied()) {
      return Verdict.conditions(
          Conditions.of(
              ConditionType.DATABASE_READY,
              true,
              Reason.READY,
              "PostgreSQL " + db.runningMajor() + " accepts connections"));
    }
    // Until the roles Job has run, the app's roles may lack a
    // right this operator version gives them.
    Reason reason = db.ready() ? Reason.APPLYING_ROLES : Reason.STARTING;
    String message =
        db.ready()
            ? "PostgreSQL "
                + db.runningMajor()
                + " accepts connections; Job "
                + db.rolesJob()
                + " applies the roles and grants of this operator version"
            : "PostgreSQL " + db.wantedMajor() + " is starting";
    return Verdict.of(
        phase == Phase.Ready ? Phase.Progressing : phase,
        Conditions.of(ConditionType.DATABASE_READY, false, reason, message),
        Conditions.of(ConditionType.READY, false, Reason.DATABASE_NOT_READY, message));
  }

  static DatabaseStatus summary(DatabaseState db) {
    DatabaseStatus summary = new DatabaseStatus();
    summary.setReady(db.ready());
    summary.setSecretName(db.secretName());
    return summary;
  }
}
