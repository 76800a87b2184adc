package io.appenv.telemetry.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.appenv.telemetry.sql.Query;
import io.appenv.telemetry.sql.SqlQueries;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.stereotype.Component;

/**
 * Writes a batch atomically: COPY into a session-private staging table, then one INSERT ... ON
 * CONFLICT DO NOTHING into the real table, all in one transaction. COPY is the fastest way into
 * PostgreSQL; the staging step is what lets duplicates be skipped and counted instead of aborting
 * the COPY.
 */
@Component
public class StagedReadingWriter {

  private static final int COPY_BUFFER_BYTES = 1 << 16;

  private final DataSource dataSource;
  private final SqlQueries sql;
  private final ObjectMapper json;

  public StagedReadingWriter(DataSource dataSource, SqlQueries sql, ObjectMapper json) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.json = json;
  }

  /**
   * @throws BatchRejectedException when the feed reports invalid rows; nothing is written then
   */
  public IngestResult write(ReadingFeed feed) throws IOException {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        IngestResult result = writeInTransaction(connection, feed);
        connection.commit();
        return result;
      } catch (IOException | SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writing readings failed: " + e.getMessage(), e);
    }
  }

  private IngestResult writeInTransaction(Connection connection, ReadingFeed feed)
      throws SQLException, IOException {
    execute(connection, Query.CREATE_STAGING_TABLE);
    long staged = copyIntoStaging(connection, feed);
    execute(connection, Query.INSERT_DEVICES_FROM_STAGING);
    long inserted = execute(connection, Query.INSERT_READINGS_FROM_STAGING);
    return new IngestResult(staged, inserted, staged - inserted);
  }

  private long copyIntoStaging(Connection connection, ReadingFeed feed)
      throws SQLException, IOException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    PGCopyOutputStream copy =
        new PGCopyOutputStream(pg, sql.get(Query.COPY_INTO_STAGING), COPY_BUFFER_BYTES);
    List<RowError> errors;
    try {
      BufferedWriter writer =
          new BufferedWriter(
              new OutputStreamWriter(copy, StandardCharsets.UTF_8), COPY_BUFFER_BYTES);
      errors = feed.feed(new CopyRowEncoder(writer, json)::write);
      writer.flush();
    } catch (IOException | RuntimeException e) {
      cancelQuietly(copy);
      throw e;
    }
    if (!errors.isEmpty()) {
      cancelQuietly(copy);
      throw new BatchRejectedException(errors);
    }
    return copy.endCopy();
  }

  private static void cancelQuietly(PGCopyOutputStream copy) {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    } catch (SQLException ignored) {
      // The transaction is rolled back next; a failed cancel changes nothing about that.
    }
  }

  private long execute(Connection connection, Query query) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.executeLargeUpdate(sql.get(query));
    }
  }
}
