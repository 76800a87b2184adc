package io.appenv.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appenv.operator.TestEnvironments;
import io.appenv.operator.api.AppEnvironmentSpec;
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

class SpecValidatorTest {

  @Test
  void validSpecHasNoProblems() {
    assertThat(SpecValidator.validate(TestEnvironments.rolling("ns", "shop"))).isEmpty();
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("reserved prefix", (Consumer<AppEnvironmentSpec>) spec ->
            spec.getApp().setEnv(List.of(EnvVarSpec.literal("APPENV_MODE", "x"))), "reserved for appenv"),
        Arguments.of("database variable set by hand", (Consumer<AppEnvironmentSpec>) spec -> {
          spec.setDatabase(new DatabaseSpec());
          spec.getApp().setEnv(List.of(EnvVarSpec.literal("SPRING_DATASOURCE_URL", "jdbc:x")));
        }, "set by appenv from the database credentials"),
        Arguments.of("rollback alert slower than the window", (Consumer<AppEnvironmentSpec>) spec -> {
          PresetAlert errorRate = new PresetAlert();
          errorRate.setRollback(true);
          errorRate.setForDuration("45m");
          spec.setMonitoring(new MonitoringSpec());
          spec.getMonitoring().getAlerts().setErrorRate(errorRate);
        }, "can never roll back"),
        Arguments.of("unbalanced PromQL", (Consumer<AppEnvironmentSpec>) spec -> {
          CustomAlert alert = new CustomAlert();
          alert.setName("Broken");
          alert.setExpr("sum(rate(x[5m]) > 1");
          spec.setMonitoring(new MonitoringSpec());
          spec.getMonitoring().getAlerts().setCustom(List.of(alert));
        }, "unclosed '('"),
        Arguments.of("bad duration", (Consumer<AppEnvironmentSpec>) spec ->
            spec.getRelease().setScaleDownDelay("10 minutes"), "spec.release.scaleDownDelay"),
        Arguments.of("no image", (Consumer<AppEnvironmentSpec>) spec -> spec.getApp().setImage(null),
            "spec.app.image is required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void reportsWhatToFix(String name, Consumer<AppEnvironmentSpec> change, String expectedProblem) {
    List<String> problems = SpecValidator.validate(TestEnvironments.rolling("ns", "shop", change));

    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains(expectedProblem));
  }

  @Test
  void bracketsInsideStringsDoNotCount() {
    assertThat(SpecValidator.unbalancedBracket("rate(x{path=\"/a(b\"}[5m])")).isNull();
    assertThat(SpecValidator.unbalancedBracket("x]")).contains("unexpected ']'");
  }
}
