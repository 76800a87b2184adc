package io.appenv.telemetry.query;

import com.zaxxer.hikari.HikariDataSource;
import io.appenv.telemetry.TelemetryProperties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where consumption queries run: a read-only pool logged in as the {@code readonly} role when
 * telemetry.readonly-datasource.username is set (appenv sets it), on that url or the main one, else
 * the main pool. Deliberately not a DataSource bean, so Spring Boot's auto-configured main
 * DataSource (and Flyway on it) stay as they are.
 */
@Component
public class ReadOnlyDatabase implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ReadOnlyDatabase.class);

  private final HikariDataSource ownPool;
  private final NamedParameterJdbcTemplate jdbc;

  public ReadOnlyDatabase(
      DataSource mainDataSource, DataSourceProperties main, TelemetryProperties properties) {
    TelemetryProperties.ReadonlyDatasource config = properties.readonlyDatasource();
    if (config.configured()) {
      ownPool = new HikariDataSource();
      ownPool.setPoolName("readonly");
      ownPool.setJdbcUrl(config.url().isBlank() ? main.determineUrl() : config.url());
      ownPool.setUsername(config.username());
      ownPool.setPassword(config.password());
      // Belt and braces: even a wrongly granted role cannot write through this pool.
      ownPool.setReadOnly(true);
      // PgJDBC only enforces read-only outside autocommit unless told "always".
      ownPool.addDataSourceProperty("readOnlyMode", "always");
      ownPool.setMaximumPoolSize(5);
      jdbc = new NamedParameterJdbcTemplate(ownPool);
      log.info("consumption queries use the read-only connection as {}", config.username());
    } else {
      ownPool = null;
      jdbc = new NamedParameterJdbcTemplate(mainDataSource);
      log.info(
          "no telemetry.readonly-datasource.username: consumption queries use the main connection");
    }
  }

  public NamedParameterJdbcTemplate jdbc() {
    return jdbc;
  }

  public boolean separatePool() {
    return ownPool != null;
  }

  @Override
  public void destroy() {
    if (ownPool != null) {
      ownPool.close();
    }
  }
}
