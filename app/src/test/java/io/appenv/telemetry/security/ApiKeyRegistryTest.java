package io.appenv.telemetry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeyRegistryTest {

  private static final String INGEST_HASH = ApiKeyRegistry.sha256Hex("k-ingest");
  private static final String READ_HASH = ApiKeyRegistry.sha256Hex("k-read");

  @Test
  void keysAreKnownOnlyByTheirSha256AndMapToTheirRoles() {
    ApiKeyRegistry registry =
        new ApiKeyRegistry(INGEST_HASH + ":ingest, " + READ_HASH.toUpperCase() + ":READ");

    assertThat(registry.rolesOf("k-ingest")).containsExactly(ApiRole.INGEST);
    assertThat(registry.rolesOf("k-read")).containsExactly(ApiRole.READ);
    assertThat(registry.rolesOf(INGEST_HASH)).as("the hash itself is not a key").isEmpty();
    assertThat(registry.rolesOf("other")).isEmpty();
  }

  @Test
  void aKeyListedTwiceHasBothRoles() {
    ApiKeyRegistry registry = new ApiKeyRegistry(INGEST_HASH + ":ingest," + INGEST_HASH + ":read");

    assertThat(registry.rolesOf("k-ingest"))
        .containsExactlyInAnyOrder(ApiRole.INGEST, ApiRole.READ);
  }

  @Test
  void emptyConfigurationLetsNobodyIn() {
    ApiKeyRegistry registry = new ApiKeyRegistry("");
    assertThat(registry.isEmpty()).isTrue();
    assertThat(registry.rolesOf("")).isEmpty();
  }

  @Test
  void malformedEntriesStopStartupWithoutEchoingTheSecret() {
    assertThatThrownBy(() -> new ApiKeyRegistry("my-raw-secret-key:read"))
        .hasMessageContaining("<sha256hex>:<ingest|read>")
        .hasMessageNotContaining("my-raw-secret-key");
    assertThatThrownBy(() -> new ApiKeyRegistry(INGEST_HASH + ":admin"))
        .hasMessageContaining("unknown API key role");
  }
}
