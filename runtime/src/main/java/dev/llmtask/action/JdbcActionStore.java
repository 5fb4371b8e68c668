package dev.llmtask.action;

import dev.llmtask.action.ActionEntry.State;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * An {@link ActionStore} in a PostgreSQL table, shared by every instance of the application: plain
 * JDBC, no ORM. The table's primary key (action, idem_key) makes the claim atomic; one
 * {@code INSERT … ON CONFLICT DO UPDATE … WHERE} statement either inserts a new claim or takes over
 * an expired one, and PostgreSQL's row lock lets exactly one of any number of concurrent callers
 * win. Lease expiry and retention are judged by the database clock ({@code clock_timestamp()}), so
 * the application servers' clocks do not matter.
 *
 * <p>The schema ships as the resource {@code dev/llmtask/action/postgresql.sql} ({@link #schemaSql()});
 * {@link #createTableIfMissing()} runs it. Give the store a {@link DataSource} whose connections are
 * not enlisted in the application's own transaction: a claim must be visible to other callers at
 * once. Connections in manual-commit mode are committed after each statement.
 */
public final class JdbcActionStore implements ActionStore {
  /** The table name the schema resource uses. */
  public static final String DEFAULT_TABLE = "llmtask_action";

  /** Plain lower-case identifiers, short enough to leave room for the index name's suffix. */
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,47}");
  private static final String SCHEMA_RESOURCE = "postgresql.sql";
  private static final String COLUMNS = "owner, fingerprint, state, result, failure, fence, taken_over, checkpoint";
  /** PostgreSQL's SQLState for "relation does not exist". */
  private static final String UNDEFINED_TABLE = "42P01";
  /** A claim finds the row gone (released in between) at most this often before giving up. */
  private static final int CLAIM_ROUNDS = 5;

  private final DataSource dataSource;
  private final String table;
  private final String claimSql;
  private final String selectSql;
  private final String finishSql;
  private final String releaseSql;
  private final String endLeaseSql;
  private final String checkpointSql;
  private final String deleteExpiredSql;

  private JdbcActionStore(DataSource dataSource, String table) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.table = table;
    // the row is free when its claim's lease expired (same request only) or its retention passed
    this.claimSql = "INSERT INTO " + table + " AS t (action, idem_key, fingerprint, state, owner, lease_until)"
        + " VALUES (?, ?, ?, 'claimed', ?, clock_timestamp() + CAST(? AS bigint) * interval '1 millisecond')"
        + " ON CONFLICT (action, idem_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = 'claimed',"
        + " owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, result = NULL, failure = NULL,"
        + " created_at = EXCLUDED.created_at, finished_at = NULL, expires_at = NULL, fence = t.fence + 1,"
        + " taken_over = (t.state = 'claimed'), checkpoint = CASE WHEN t.state = 'claimed' THEN t.checkpoint END"
        + " WHERE (t.state = 'claimed' AND t.lease_until < clock_timestamp() AND t.fingerprint = EXCLUDED.fingerprint)"
        + " OR (t.state <> 'claimed' AND t.expires_at < clock_timestamp())"
        + " RETURNING " + COLUMNS;
    this.selectSql = "SELECT " + COLUMNS + " FROM " + table + " WHERE action = ? AND idem_key = ?";
    this.finishSql = "UPDATE " + table + " SET state = ?, result = ?, failure = ?, finished_at = clock_timestamp(),"
        + " expires_at = clock_timestamp() + CAST(? AS bigint) * interval '1 millisecond'"
        + " WHERE action = ? AND idem_key = ? AND owner = ? AND state = 'claimed'";
    this.releaseSql = "DELETE FROM " + table
        + " WHERE action = ? AND idem_key = ? AND owner = ? AND state = 'claimed' AND checkpoint IS NULL";
    // a claim with a checkpoint is kept, its lease ended, so that the next caller takes it over
    this.endLeaseSql = "UPDATE " + table + " SET lease_until = clock_timestamp() - interval '1 millisecond'"
        + " WHERE action = ? AND idem_key = ? AND owner = ? AND state = 'claimed'";
    this.checkpointSql = "UPDATE " + table + " SET checkpoint = ?"
        + " WHERE action = ? AND idem_key = ? AND owner = ? AND state = 'claimed'";
    this.deleteExpiredSql = "DELETE FROM " + table + " WHERE expires_at < clock_timestamp()";
  }

  /** A store on {@code dataSource} in the table {@value #DEFAULT_TABLE}. */
  public static JdbcActionStore using(DataSource dataSource) {
    return using(dataSource, DEFAULT_TABLE);
  }

  /**
   * A store on {@code dataSource} in {@code table}: a plain lower-case identifier (letters, digits,
   * underscores, at most 48 characters), found through the connection's search path.
   */
  public static JdbcActionStore using(DataSource dataSource, String table) {
    if (table == null || !TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("The table name must be a plain lower-case SQL identifier (letters, digits,"
          + " underscores, at most 48 characters), e.g. " + DEFAULT_TABLE);
    }
    return new JdbcActionStore(dataSource, table);
  }

  /** The DDL of this store's table and index (PostgreSQL), from the shipped schema resource. */
  public String schemaSql() {
    try (InputStream in = JdbcActionStore.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("The schema resource dev/llmtask/action/" + SCHEMA_RESOURCE + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(DEFAULT_TABLE, table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the table and its index unless they exist. */
  public void createTableIfMissing() {
    inConnection(ActionStoreException.Step.MAINTENANCE, "create its table", c -> {
      try (Statement s = c.createStatement()) {
        s.execute(schemaSql());
      }
      return null;
    });
  }

  /** Deletes the finished entries whose retention has passed; returns how many. Run it now and then. */
  public int deleteExpired() {
    return inConnection(ActionStoreException.Step.MAINTENANCE, "delete expired entries", c -> {
      try (PreparedStatement s = c.prepareStatement(deleteExpiredSql)) {
        return s.executeUpdate();
      }
    });
  }

  @Override
  public ActionEntry claim(String action, String key, String fingerprint, String owner, Duration lease) {
    return inConnection(ActionStoreException.Step.CLAIM, "claim a key", c -> {
      for (int round = 0; round < CLAIM_ROUNDS; round++) {
        ActionEntry entry = queryEntry(c, claimSql, action, key, fingerprint, owner, lease.toMillis());
        if (entry == null) { // the row exists and is not free: read it as it stands
          entry = queryEntry(c, selectSql, action, key);
        }
        if (entry != null) {
          return entry;
        }
      }
      throw new SQLException("the entry was released by other calls " + CLAIM_ROUNDS + " times during one claim");
    });
  }

  @Override
  public boolean release(String action, String key, String owner) {
    return inConnection(ActionStoreException.Step.RELEASE, "release a claim",
        c -> update(c, releaseSql, action, key, owner) == 1 || update(c, endLeaseSql, action, key, owner) == 1);
  }

  @Override
  public boolean checkpoint(String action, String key, String owner, String checkpoint) {
    return inConnection(ActionStoreException.Step.CHECKPOINT, "record a checkpoint",
        c -> update(c, checkpointSql, checkpoint, action, key, owner) == 1);
  }

  @Override
  public boolean finish(String action, String key, String owner, State outcome, String detail, Duration retention) {
    ActionEntry.requireFinished(outcome);
    return inConnection(ActionStoreException.Step.OUTCOME, "store an outcome", c -> update(c, finishSql, outcome.name().toLowerCase(Locale.ROOT),
        outcome == State.COMPLETED ? detail : null, outcome == State.FAILED ? detail : null,
        retention == null ? null : retention.toMillis(), action, key, owner) == 1);
  }

  private static ActionEntry queryEntry(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, params); ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      return new ActionEntry(rs.getString("owner"), rs.getString("fingerprint"),
          State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), rs.getString("result"), rs.getString("failure"),
          rs.getLong("fence"), rs.getBoolean("taken_over"), rs.getString("checkpoint"));
    }
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, params)) {
      return s.executeUpdate();
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      if (params[i] == null) {
        s.setNull(i + 1, Types.NULL); // the statements cast where the type matters
      } else {
        s.setObject(i + 1, params[i]);
      }
    }
    return s;
  }

  private <T> T inConnection(ActionStoreException.Step step, String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      try {
        T result = work.apply(c);
        if (!c.getAutoCommit()) {
          c.commit();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
        throw e;
      }
    } catch (SQLException e) {
      // the SQLState and the cause say what failed; parameters (which carry results) stay out of the message
      throw new ActionStoreException(step, "The action store could not " + what + " in table " + table
          + " (SQLState " + e.getSQLState() + ")" + (step == ActionStoreException.Step.OUTCOME
              ? "; the action ran but its outcome is not stored" : "") + hint(e), e);
    }
  }

  /** What to do about a failure whose cause the SQLState names, or nothing. */
  private static String hint(SQLException e) {
    if (UNDEFINED_TABLE.equals(e.getSQLState())) {
      return ": the table does not exist; create it once with JdbcActionStore.createTableIfMissing()"
          + " or run the DDL from schemaSql() (resource dev/llmtask/action/" + SCHEMA_RESOURCE + ")";
    }
    return "";
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }
}
