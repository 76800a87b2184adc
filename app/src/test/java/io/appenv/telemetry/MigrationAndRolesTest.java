package io.appenv.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appenv.telemetry.query.ReadOnlyDatabase;
import io.appenv.telemetry.support.IntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class MigrationAndRolesTest extends IntegrationTest {

  @Autowired ReadOnlyDatabase readOnlyDatabase;

  @Test
  void migrationsApplyAndCreateTheTablesWithTheIdempotencyKey() {
    JdbcTemplate jdbc = superuserJdbc();
    assertThat(
            jdbc.queryForList(
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank",
                String.class))
        .containsExactly("1", "2");
    assertThat(
            jdbc.queryForObject("SELECT pg_get_indexdef('reading_pkey'::regclass)", String.class))
        .endsWith("(device_id, ts, metric)");
    assertThat(
            jdbc.queryForObject(
                "SELECT tableowner FROM pg_tables WHERE tablename = 'reading'", String.class))
        .isEqualTo("owner");
  }

  @Test
  void appRoleMayReadAndInsertButNotUpdateOrDelete() {
    assertThat(privileges("app", "reading")).containsExactly(true, true, false, false);
    assertThat(privileges("app", "device")).containsExactly(true, true, false, false);
  }

  @Test
  void readonlyRoleMayOnlySelect() {
    assertThat(privileges("readonly", "reading")).containsExactly(true, false, false, false);
  }

  @Test
  void consumptionQueriesRunOnAPoolThatCannotWrite() {
    assertThat(readOnlyDatabase.separatePool()).isTrue();
    JdbcTemplate readonly = readOnlyDatabase.jdbc().getJdbcTemplate();
    assertThat(readonly.queryForObject("SELECT current_user", String.class)).isEqualTo("readonly");
    assertThat(readonly.queryForObject("SHOW transaction_read_only", String.class)).isEqualTo("on");
    assertThatThrownBy(() -> readonly.update("INSERT INTO device (device_id) VALUES ('sneaky')"))
        .rootCause()
        .message()
        .containsAnyOf("read-only transaction", "permission denied");
  }

  private static List<Boolean> privileges(String role, String table) {
    return superuserJdbc()
        .queryForList(
            "SELECT has_table_privilege(?, ?, p) FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE']) WITH ORDINALITY AS t(p, n) ORDER BY n",
            Boolean.class,
            role,
            table);
  }
}
