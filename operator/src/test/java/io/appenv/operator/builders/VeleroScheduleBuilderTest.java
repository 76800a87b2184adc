package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironment;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.names.Names;
import io.appenv.operator.upstream.VeleroSchedule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VeleroScheduleBuilderTest {

  private static AppEnvironment withVelero(String namespace, String name) {
    return TestEnvironments.rolling(
        namespace,
        name,
        spec -> {
          spec.setDatabase(new DatabaseSpec());
          BackupSpec backup = new BackupSpec();
          backup.setSchedule("30 1 * * *");
          backup.setRetention("720h");
          backup.getVelero().setEnabled(true);
          backup.getVelero().setNamespace("backups");
          backup.getVelero().setStorageLocation("s3-eu");
          spec.setBackup(backup);
        });
  }

  @Test
  void snapshotsTheEnvironmentsNamespaceOnTheBackupSchedule() {
    VeleroSchedule schedule = VeleroScheduleBuilder.build(withVelero("shop-prod", "shop"));

    assertThat(schedule.getApiVersion()).isEqualTo("velero.io/v1");
    assertThat(schedule.getKind()).isEqualTo("Schedule");
    assertThat(schedule.getMetadata().getNamespace()).isEqualTo("backups");
    assertThat(schedule.getMetadata().getName()).isEqualTo("appenv-shop-prod-shop");
    assertThat(schedule.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(schedule.getSpec().getSchedule()).isEqualTo("30 1 * * *");
    assertThat(schedule.getSpec().getUseOwnerReferencesInBackup()).isFalse();
    var template = schedule.getSpec().getTemplate();
    assertThat(template.getIncludedNamespaces()).containsExactly("shop-prod");
    assertThat(template.getTtl()).isEqualTo("720h");
    assertThat(template.getStorageLocation()).isEqualTo("s3-eu");
    assertThat(template.getSnapshotVolumes()).isTrue();
  }

  @Test
  void labelSelectorTakesTheDatabaseItsVolumesCredentialsAndTheApp() {
    AppEnvironment env = withVelero("shop-prod", "shop");
    Map<String, String> selector =
        VeleroScheduleBuilder.build(env)
            .getSpec()
            .getTemplate()
            .getLabelSelector()
            .getMatchLabels();
    var statefulSet = PostgresStatefulSetBuilder.build(env, PostgresImage.OFFICIAL.of("16"));

    List<Map<String, String>> labelled =
        List.of(
            statefulSet.getMetadata().getLabels(),
            statefulSet.getSpec().getTemplate().getMetadata().getLabels(),
            statefulSet.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getLabels(),
            labels(PostgresCredentialsBuilder.build(env, Map.of("app-password", "x"))),
            labels(PostgresBackupBuilder.volume(env)),
            labels(AppDeploymentBuilder.build(env)),
            AppDeploymentBuilder.build(env).getSpec().getTemplate().getMetadata().getLabels());
    assertThat(labelled).allSatisfy(labels -> assertThat(labels).containsAllEntriesOf(selector));
  }

  @Test
  void longNamesAreShortenedToALabelValueAndStayDistinct() {
    String namespace = "a-namespace-with-a-rather-long-name-for-the-team";
    String first = Names.veleroSchedule(withVelero(namespace, "telemetry-ingestion-service"));
    String second = Names.veleroSchedule(withVelero(namespace, "telemetry-ingestion-servicf"));

    assertThat(first).hasSizeLessThanOrEqualTo(63).doesNotEndWith("-").isNotEqualTo(second);
    assertThat(second).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void enabledOnlyWhenAsked() {
    assertThat(VeleroScheduleBuilder.isEnabled(TestEnvironments.rolling("ns", "shop"))).isFalse();
    assertThat(VeleroScheduleBuilder.isEnabled(withVelero("ns", "shop"))).isTrue();
  }

  private static Map<String, String> labels(HasMetadata resource) {
    return resource.getMetadata().getLabels();
  }
}
