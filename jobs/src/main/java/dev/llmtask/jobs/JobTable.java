package dev.llmtask.jobs;

import dev.llmtask.CallStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The jobs table over plain JDBC, one autocommitted statement per operation. Every write of a run
 * is fenced by its attempt number, so a run that was presumed dead and revived elsewhere cannot
 * overwrite the state its successor writes.
 */
final class JobTable {
  static final String DEFAULT_TABLE = "llmtask_job";
  static final String SCHEMA_RESOURCE = "postgresql.sql";
  private static final String UNDEFINED_TABLE = "42P01";
  private static final String COLUMNS = "id, job_type, state, attempts, progress_done, progress_total, call_status,"
      + " failure, submitted_at, finished_at";

  private final DataSource dataSource;
  private final String table;

  JobTable(DataSource dataSource, String table) {
    this.dataSource = dataSource;
    this.table = table;
  }

  String executionTable() {
    return table + "_execution";
  }

  String schemaSql() {
    try (InputStream in = JobTable.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("The resource dev/llmtask/jobs/" + SCHEMA_RESOURCE + " is missing from llmtask-jobs");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(DEFAULT_TABLE, table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void createIfMissing() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(schemaSql());
    } catch (SQLException e) {
      throw failure("create the tables", e);
    }
  }

  void insert(JobId id, String type, String inputJson) {
    update("submit", "INSERT INTO " + table + " (id, job_type, state, input) VALUES (?, ?, 'queued', ?)",
        id.value(), type, inputJson);
  }

  /** Deletes a job whose execution could not be scheduled, so that no queued row is left without one. */
  void delete(JobId id) {
    update("withdraw", "DELETE FROM " + table + " WHERE id = ? AND state = 'queued'", id.value());
  }

  /** A run of a job that has not finished; empty when it is finished or unknown. */
  record Run(String type, int attempt, String inputJson) {}

  Optional<Run> start(String id) {
    String sql = "UPDATE " + table + " SET state = 'running', attempts = attempts + 1, progress_done = NULL,"
        + " progress_total = NULL, started_at = clock_timestamp(), updated_at = clock_timestamp()"
        + " WHERE id = ? AND state IN ('queued', 'running') RETURNING job_type, attempts, input";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Run(rs.getString(1), rs.getInt(2), rs.getString(3))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("start a run", e);
    }
  }

  boolean progress(JobId id, int attempt, long done, long total) {
    return update("record progress", "UPDATE " + table + " SET progress_done = ?, progress_total = ?,"
        + " updated_at = clock_timestamp() WHERE id = ? AND attempts = ? AND state = 'running'",
        done, total, id.value(), attempt) == 1;
  }

  boolean succeed(JobId id, int attempt, String resultJson) {
    return update("store the result", "UPDATE " + table + " SET state = 'succeeded', result = ?, call_status = NULL,"
        + " failure = NULL, finished_at = clock_timestamp(), updated_at = clock_timestamp()"
        + " WHERE id = ? AND attempts = ? AND state = 'running'", resultJson, id.value(), attempt) == 1;
  }

  /** Ends the run with a failure: the job is queued again for another attempt, or failed. */
  boolean endRun(JobId id, int attempt, boolean retry, CallStatus status, String failure) {
    String state = retry ? "queued" : "failed";
    return update("record the failure", "UPDATE " + table + " SET state = '" + state + "', call_status = ?, failure = ?,"
        + (retry ? "" : " finished_at = clock_timestamp(),") + " updated_at = clock_timestamp()"
        + " WHERE id = ? AND attempts = ? AND state = 'running'",
        status == null ? null : status.name(), failure, id.value(), attempt) == 1;
  }

  Optional<JobStatus> status(JobId id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(statusOf(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read a job's status", e);
    }
  }

  /** The stored result JSON of a succeeded job, with its type and state; empty when the job is unknown. */
  record Stored(String type, JobState state, String resultJson) {}

  Optional<Stored> result(JobId id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT job_type, state, result FROM " + table + " WHERE id = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Stored(rs.getString(1), state(rs.getString(2)), rs.getString(3)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read a job's result", e);
    }
  }

  private static JobStatus statusOf(ResultSet rs) throws SQLException {
    long total = rs.getLong("progress_total");
    JobProgress progress = rs.wasNull() ? null : new JobProgress(rs.getLong("progress_done"), total);
    String callStatus = rs.getString("call_status");
    return new JobStatus(JobId.of(rs.getString("id")), rs.getString("job_type"), state(rs.getString("state")),
        rs.getInt("attempts"), progress, callStatus == null ? null : CallStatus.valueOf(callStatus),
        rs.getString("failure"), instant(rs.getTimestamp("submitted_at")), instant(rs.getTimestamp("finished_at")));
  }

  private static JobState state(String s) {
    return JobState.valueOf(s.toUpperCase(Locale.ROOT));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private int update(String step, String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null) {
          ps.setNull(i + 1, Types.VARCHAR);
        } else {
          ps.setObject(i + 1, args[i]);
        }
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failure(step, e);
    }
  }

  /** The SQLState and the table, not the driver's message (it can quote values). */
  private JobException failure(String step, SQLException e) {
    String hint = UNDEFINED_TABLE.equals(e.getSQLState())
        ? ": the table does not exist; create the tables once with LlmJobs.createTablesIfMissing() or run the DDL"
            + " from LlmJobs.schemaSql() (resource dev/llmtask/jobs/" + SCHEMA_RESOURCE + ")"
        : "";
    return new JobException(JobException.Reason.STORE_FAILURE, "Could not " + step + " in table " + table
        + " (SQLState " + e.getSQLState() + ")" + hint, null);
  }
}
