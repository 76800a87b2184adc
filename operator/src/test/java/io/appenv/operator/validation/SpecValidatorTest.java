package io.appenv.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironmentSpec;
import io.appenv.operator.api.BackupSpec;
import io.appenv.operator.api.CustomAlert;
import io.appenv.operator.api.DatabaseSpec;
import io.appenv.operator.api.EnvVarSpec;
import io.appenv.operator.api.MonitoringSpec;
import io.appenv.operator.api.PresetAlert;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {

  @Test
  void validSpecHasNoProblems() {
    assertThat(SpecValidator.validate(TestEnvironments.rolling("ns", "shop"))).isEmpty();
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of(
            "reserved prefix",
            (Consumer<AppEnvironmentSpec>)
                spec -> spec.getApp().setEnv(List.of(EnvVarSpec.literal("APPENV_MODE", "x"))),
            "reserved for appenv"),
        Arguments.of(
            "database variable set by hand",
            (Consumer<AppEnvironmentSpec>)
                spec -> {
                  spec.setDatabase(new DatabaseSpec());
                  spec.getApp()
                      .setEnv(List.of(EnvVarSpec.literal("SPRING_DATASOURCE_URL", "jdbc:x")));
                },
            "set by appenv from the database credentials"),
        Arguments.of(
            "rollback alert slower than the window",
            (Consumer<AppEnvironmentSpec>)
                spec -> {
                  PresetAlert errorRate = new PresetAlert();
                  errorRate.setRollback(true);
                  errorRate.setForDuration("45m");
                  spec.setMonitoring(new MonitoringSpec());
                  spec.getMonitoring().getAlerts().setErrorRate(errorRate);
                },
            "can never roll back"),
        Arguments.of(
            "unbalanced PromQL",
            (Consumer<AppEnvironmentSpec>)
                spec -> {
                  CustomAlert alert = new CustomAlert();
                  alert.setName("Broken");
                  alert.setExpr("sum(rate(x[5m]) > 1");
                  spec.setMonitoring(new MonitoringSpec());
                  spec.getMonitoring().getAlerts().setCustom(List.of(alert));
                },
            "unclosed '('"),
        Arguments.of(
            "bad duration",
            (Consumer<AppEnvironmentSpec>)
                spec -> spec.getRelease().setScaleDownDelay("10 minutes"),
            "spec.release.scaleDownDelay"),
        Arguments.of(
            "no image",
            (Consumer<AppEnvironmentSpec>) spec -> spec.getApp().setImage(null),
            "spec.app.image is required"),
        Arguments.of(
            "weekday range backwards",
            schedule("0 2 * * fri-mon"),
            "spec.backup.schedule \"0 2 * * fri-mon\": the day of week range fri-mon runs backwards"),
        Arguments.of(
            "minute range backwards with a step",
            schedule("30-10/5 * * * *"),
            "the minute range 30-10 runs backwards: write it from the lower value to the higher, e.g. 10-30"),
        Arguments.of("the 31st of short months", schedule("0 2 31 4,6,9,11 *"), "never runs"));
  }

  private static Consumer<AppEnvironmentSpec> schedule(String schedule) {
    return spec -> {
      spec.setBackup(new BackupSpec());
      spec.getBackup().setSchedule(schedule);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void reportsWhatToFix(String name, Consumer<AppEnvironmentSpec> change, String expectedProblem) {
    List<String> problems = SpecValidator.validate(TestEnvironments.rolling("ns", "shop", change));

    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains(expectedProblem));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0 2 * * *",
        "@daily",
        "0 2 29 2 *",
        "0 2 ? * MON",
        "*/15 1-5,22 * JAN-mar sun-sat",
        "5/15 * * * *"
      })
  void schedulesKubernetesRunsAreAccepted(String schedule) {
    assertThat(SpecValidator.validate(TestEnvironments.rolling("ns", "shop", schedule(schedule))))
        .isEmpty();
  }

  @Test
  void bracketsInsideStringsDoNotCount() {
    assertThat(SpecValidator.unbalancedBracket("rate(x{path=\"/a(b\"}[5m])")).isNull();
    assertThat(SpecValidator.unbalancedBracket("x]")).contains("unexpected ']'");
  }
}
