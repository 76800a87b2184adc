package io.appenv.operator.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.builders.PostgresRolesJobBuilder;
import io.appenv.operator.release.ReleasePlanner;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The longest name the CRD admits (AppEnvironment.MAX_NAME_LENGTH) still gives valid names to
 * everything derived from it.
 */
class NamesTest {
  private static final AppEnvironment LONGEST =
      TestEnvironments.rolling("n".repeat(63), "a".repeat(AppEnvironment.MAX_NAME_LENGTH));

  @Test
  void everyDerivedNameFitsItsKind() {
    Map<String, String> labelSized =
        Map.of(
            "Service", Names.service(LONGEST),
            "preview Service", Names.previewService(LONGEST),
            "database Service", Names.database(LONGEST),
            "headless Service", Names.databaseHeadless(LONGEST),
            "roles Job",
                PostgresRolesJobBuilder.name(LONGEST, "0b7c4a2e-5d1f-4c3a-9e8b-1a2b3c4d5e6f"),
            "pre-release backup Job", ReleasePlanner.preReleaseBackupJob(LONGEST, 99_999_999_999L),
            "Velero Schedule (a label value of its Backups)", Names.veleroSchedule(LONGEST),
            "app.kubernetes.io/instance label",
                Labels.selector(LONGEST, Labels.COMPONENT_APP).get(Labels.INSTANCE));
    labelSized.forEach(
        (what, name) ->
            assertThat(name)
                .as(what)
                .hasSizeLessThanOrEqualTo(63)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"));
    // The CronJob controller appends 11 characters for its Jobs; a StatefulSet's revision label
    // adds a hash.
    assertThat(Names.backupCronJob(LONGEST)).as("CronJob").hasSizeLessThanOrEqualTo(52);
    assertThat(Names.database(LONGEST)).as("StatefulSet").hasSizeLessThanOrEqualTo(52);
    assertThat(Names.database(LONGEST) + "-0")
        .as("the database Pod (its pod-name label)")
        .hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void aLongerNameWouldNotFitTheRolesJob() {
    AppEnvironment longer =
        TestEnvironments.rolling("ns", "a".repeat(AppEnvironment.MAX_NAME_LENGTH + 5));

    assertThat(PostgresRolesJobBuilder.name(longer, "uid")).hasSizeGreaterThan(63);
  }
}
