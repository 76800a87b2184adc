package io.appenv.telemetry.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlQueriesTest {

  @Test
  void everyQueryConstantHasAFileOnTheClasspath() {
    SqlQueries queries = new SqlQueries();
    for (Query query : Query.values()) {
      assertThat(queries.get(query)).as(query.fileName()).isNotBlank().doesNotEndWith(";");
    }
  }
}
