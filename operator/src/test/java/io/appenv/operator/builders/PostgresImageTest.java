package io.appenv.operator.builders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresImageTest {

  @Test
  void theMajorVersionIsTheTag() {
    assertThat(PostgresImage.OFFICIAL.of("17")).isEqualTo("docker.io/library/postgres:17");
    assertThat(new PostgresImage("localhost:5000/library/postgres").of("15"))
        .isEqualTo("localhost:5000/library/postgres:15");
  }

  @Test
  void theRunningMajorIsReadBackFromAMirroredImage() {
    assertThat(Postgres.majorOf(new PostgresImage("registry.internal/pg").of("16")))
        .isEqualTo("16");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "postgres:17", "registry.internal/postgres@sha256:abc", "registry.internal/"})
  void aSettingThatIsNotARepositoryIsRefusedWithTheReason(String setting) {
    assertThatThrownBy(() -> new PostgresImage(setting))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repository without tag or digest");
  }
}
