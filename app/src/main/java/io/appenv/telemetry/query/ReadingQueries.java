package io.appenv.telemetry.query;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.appenv.telemetry.sql.Query;
import io.appenv.telemetry.sql.SqlQueries;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Repository;

/** Runs the consumption query files against the read-only database. */
@Repository
public class ReadingQueries {

  public record Device(String deviceId, Instant firstSeenAt) {}

  /** {@code tags} is the stored jsonb text, passed through to the response without re-parsing. */
  public record StoredReading(
      Instant timestamp, String metric, double value, @JsonRawValue String tags) {}

  public record Bucket(Instant start, double min, double max, double avg, long count) {}

  private final ReadOnlyDatabase database;
  private final SqlQueries sql;

  public ReadingQueries(ReadOnlyDatabase database, SqlQueries sql) {
    this.database = database;
    this.sql = sql;
  }

  public List<Device> devices(String after, int limit) {
    MapSqlParameterSource params =
        new MapSqlParameterSource("after", after).addValue("limit", limit);
    return database
        .jdbc()
        .query(
            sql.get(Query.LIST_DEVICES),
            params,
            (rs, i) -> new Device(rs.getString("device_id"), instant(rs, "first_seen_at")));
  }

  public List<StoredReading> readings(
      String deviceId, TimeRange range, String metric, PageCursor after, int limit) {
    MapSqlParameterSource params =
        new MapSqlParameterSource("deviceId", deviceId)
            .addValue("from", range.from())
            .addValue("to", range.to())
            .addValue("metric", metric)
            .addValue("limit", limit);
    Query query = Query.READINGS_FIRST_PAGE;
    if (after != null) {
      query = Query.READINGS_NEXT_PAGE;
      params
          .addValue("afterTs", TimeRange.utc(after.timestamp()))
          .addValue("afterMetric", after.metric());
    }
    return database
        .jdbc()
        .query(
            sql.get(query),
            params,
            (rs, i) ->
                new StoredReading(
                    instant(rs, "ts"),
                    rs.getString("metric"),
                    rs.getDouble("value"),
                    rs.getString("tags")));
  }

  public List<Bucket> aggregates(
      String deviceId, String metric, TimeRange range, AggregateWindow window) {
    MapSqlParameterSource params =
        new MapSqlParameterSource("deviceId", deviceId)
            .addValue("metric", metric)
            .addValue("from", range.from())
            .addValue("to", range.to())
            .addValue("window", window.postgresUnit());
    return database
        .jdbc()
        .query(
            sql.get(Query.AGGREGATE_READINGS),
            params,
            (rs, i) ->
                new Bucket(
                    instant(rs, "bucket"),
                    rs.getDouble("min_value"),
                    rs.getDouble("max_value"),
                    rs.getDouble("avg_value"),
                    rs.getLong("sample_count")));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
