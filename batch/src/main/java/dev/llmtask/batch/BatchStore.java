package dev.llmtask.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The batch state in PostgreSQL, plain JDBC, each statement on its own auto-committed connection.
 * Leases and ages are judged by the database clock ({@code clock_timestamp()}).
 */
final class BatchStore {
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
  /** A part is free when nobody holds it, its lease expired, or this instance holds it. */
  private static final String FREE = "(lease_owner IS NULL OR lease_until < clock_timestamp() OR lease_owner = ?)";

  private BatchStore() {}

  record OpenPart(String submission, int part, String job, String task, String promptVersion, String model,
      String providerBatchId) {}

  record ItemRow(String customId, int seq, String key, String input, BatchItemStatus status, String answer,
      String reason, boolean reasked) {}

  record Totals(int items, long inputTokens, long outputTokens, long cachedInputTokens, BigDecimal costUsd,
      Map<BatchItemStatus, Integer> byStatus) {}

  @FunctionalInterface
  private interface Work<R> {
    R run(Connection c) throws SQLException;
  }

  private static <R> R with(DataSource ds, String what, Work<R> work) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  /** A connection for a run of statements (a reconciliation writes one row per item on it). */
  static Connection connection(DataSource ds) {
    try {
      Connection c = ds.getConnection();
      c.setAutoCommit(true);
      return c;
    } catch (SQLException e) {
      throw failed("open a connection", e);
    }
  }

  @FunctionalInterface
  private interface Statements<R> {
    R run() throws SQLException;
  }

  private static <R> R on(Connection c, String what, Statements<R> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  private static BatchException failed(String what, SQLException e) {
    return new BatchException("batch store: cannot " + what + " (SQLState " + e.getSQLState() + "): "
        + ("42P01".equals(e.getSQLState()) ? "the tables are missing; call LlmBatches.createTablesIfMissing() or"
            + " run LlmBatches.schemaSql() with your migrations" : e.getMessage()), e);
  }

  static void execute(DataSource ds, String sql) {
    with(ds, "create the tables", c -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
      return null;
    });
  }

  static String json(Object input) {
    try {
      return JSON.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a batch item's input of " + input.getClass().getName()
          + " cannot be written as JSON (Jackson): give the job an input type Jackson can write and read back,"
          + " e.g. a record", e);
    }
  }

  static <I> I fromJson(String json, Class<I> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored batch input cannot be read as " + type.getName()
          + " (Jackson): keep the job's input type compatible while its batches are open", e);
    }
  }

  /** Stores a new submission in one transaction, each part leased to {@code owner} for its creation. */
  static void insert(DataSource ds, String submission, String job, String api, String task, String promptVersion,
      List<LlmBatches.Part> parts, String owner, Duration lease) {
    with(ds, "store a submission", c -> {
      c.setAutoCommit(false);
      try (PreparedStatement part = c.prepareStatement("INSERT INTO llmtask_batch_part (submission, part, job, api,"
          + " task, prompt_version, model, items, state, lease_owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?,"
          + " clock_timestamp() + CAST(? AS bigint) * interval '1 millisecond')");
          PreparedStatement item = c.prepareStatement("INSERT INTO llmtask_batch_item (submission, custom_id, seq, part,"
              + " item_key, input) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (LlmBatches.Part p : parts) {
          part.setString(1, submission);
          part.setInt(2, p.index());
          part.setString(3, job);
          part.setString(4, api);
          part.setString(5, task);
          part.setString(6, promptVersion);
          part.setString(7, p.model());
          part.setInt(8, p.items().size());
          part.setString(9, owner);
          part.setLong(10, lease.toMillis());
          part.addBatch();
          for (LlmBatches.PendingItem i : p.items()) {
            item.setString(1, submission);
            item.setString(2, i.customId());
            item.setInt(3, i.seq());
            item.setInt(4, p.index());
            item.setString(5, i.key());
            item.setString(6, i.inputJson());
            item.addBatch();
          }
        }
        part.executeBatch();
        item.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
      return null;
    });
  }

  static List<OpenPart> openParts(DataSource ds, String owner) {
    return with(ds, "list open batches", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT submission, part, job, task, prompt_version, model,"
          + " provider_batch_id FROM llmtask_batch_part WHERE state <> 'finished' AND " + FREE
          + " ORDER BY created_at, submission, part")) {
        s.setString(1, owner);
        List<OpenPart> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            out.add(new OpenPart(r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5),
                r.getString(6), r.getString(7)));
          }
        }
        return out;
      }
    });
  }

  /** Takes the part's lease; false when another instance holds an unexpired one or the part is finished. */
  static boolean claim(DataSource ds, String submission, int part, String owner, Duration lease) {
    return with(ds, "take a batch lease", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE llmtask_batch_part SET lease_owner = ?, lease_until ="
          + " clock_timestamp() + CAST(? AS bigint) * interval '1 millisecond' WHERE submission = ? AND part = ? AND"
          + " state <> 'finished' AND " + FREE)) {
        s.setString(1, owner);
        s.setLong(2, lease.toMillis());
        s.setString(3, submission);
        s.setInt(4, part);
        s.setString(5, owner);
        return s.executeUpdate() == 1;
      }
    });
  }

  static void releaseLease(DataSource ds, String submission, int part, String owner) {
    update(ds, "release a batch lease", "UPDATE llmtask_batch_part SET lease_owner = NULL, lease_until = NULL"
        + " WHERE submission = ? AND part = ? AND lease_owner = ?", submission, part, owner);
  }

  static void submitted(DataSource ds, String submission, int part, String owner, String providerBatchId) {
    updateHeld(ds, "record a created batch", "provider_batch_id = ?, state = 'submitted'", providerBatchId, submission,
        part, owner);
  }

  static void status(DataSource ds, String submission, int part, String owner, String status) {
    updateHeld(ds, "record a batch status", "provider_status = ?", status, submission, part, owner);
  }

  /** Sets one value on a part while {@code owner} holds its lease. */
  private static void updateHeld(DataSource ds, String what, String set, String value, String submission, int part,
      String owner) {
    with(ds, what, c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE llmtask_batch_part SET " + set
          + " WHERE submission = ? AND part = ? AND lease_owner = ?")) {
        s.setString(1, value);
        s.setString(2, submission);
        s.setInt(3, part);
        s.setString(4, owner);
        return s.executeUpdate();
      }
    });
  }

  /** Marks the part finished; true for the one caller that did. */
  static boolean finish(DataSource ds, String submission, int part, String owner, String status) {
    return with(ds, "finish a batch", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE llmtask_batch_part SET state = 'finished',"
          + " provider_status = ?, finished_at = clock_timestamp() WHERE submission = ? AND part = ? AND"
          + " state <> 'finished' AND lease_owner = ?")) {
        s.setString(1, status);
        s.setString(2, submission);
        s.setInt(3, part);
        s.setString(4, owner);
        return s.executeUpdate() == 1;
      }
    });
  }

  static long ageMillis(DataSource ds, String submission, int part) {
    return with(ds, "read a batch's age", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp() - created_at)"
          + " * 1000 AS bigint) FROM llmtask_batch_part WHERE submission = ? AND part = ?")) {
        s.setString(1, submission);
        s.setInt(2, part);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? r.getLong(1) : 0L;
        }
      }
    });
  }

  /** The items of one part, or of every part when {@code part} is negative, in submission order. */
  static List<ItemRow> items(DataSource ds, String submission, int part) {
    return with(ds, "read batch items", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT custom_id, seq, item_key, input, status, answer, reason,"
          + " reasked FROM llmtask_batch_item WHERE submission = ?" + (part < 0 ? "" : " AND part = ?")
          + " ORDER BY seq")) {
        s.setString(1, submission);
        if (part >= 0) {
          s.setInt(2, part);
        }
        List<ItemRow> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            String status = r.getString(5);
            out.add(new ItemRow(r.getString(1), r.getInt(2), r.getString(3), r.getString(4),
                status == null ? null : BatchItemStatus.valueOf(status), r.getString(6), r.getString(7), r.getBoolean(8)));
          }
        }
        return out;
      }
    });
  }

  /** Writes an item's outcome unless it has one; true for the one caller whose write landed. */
  static boolean settle(Connection c, String submission, String customId, LlmBatches.Verdict v) {
    return on(c, "store an item's outcome", () -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE llmtask_batch_item SET status = ?, answer = ?, reason = ?,"
          + " reasked = ?, input_tokens = ?, output_tokens = ?, cost_usd = ?, finished_at = clock_timestamp()"
          + " WHERE submission = ? AND custom_id = ? AND status IS NULL")) {
        s.setString(1, v.status().name());
        s.setString(2, v.answer());
        s.setString(3, v.reason());
        s.setBoolean(4, v.reasked());
        s.setLong(5, v.usage().inputTokens());
        s.setLong(6, v.usage().outputTokens());
        s.setBigDecimal(7, v.costUsd());
        s.setString(8, submission);
        s.setString(9, customId);
        return s.executeUpdate() == 1;
      }
    });
  }

  static Totals totals(DataSource ds, String submission, int part) {
    return with(ds, "sum a batch", c -> {
      Map<BatchItemStatus, Integer> byStatus = new EnumMap<>(BatchItemStatus.class);
      int items = 0;
      long in = 0;
      long out = 0;
      BigDecimal cost = BigDecimal.ZERO;
      boolean unpriced = false;
      try (PreparedStatement s = c.prepareStatement("SELECT status, count(*), coalesce(sum(input_tokens), 0),"
          + " coalesce(sum(output_tokens), 0), sum(cost_usd), count(*) FILTER (WHERE cost_usd IS NULL AND"
          + " input_tokens + output_tokens > 0) FROM llmtask_batch_item WHERE submission = ? AND part = ? GROUP BY status")) {
        s.setString(1, submission);
        s.setInt(2, part);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            int n = r.getInt(2);
            items += n;
            if (r.getString(1) != null) {
              byStatus.put(BatchItemStatus.valueOf(r.getString(1)), n);
            }
            in += r.getLong(3);
            out += r.getLong(4);
            BigDecimal sum = r.getBigDecimal(5);
            cost = sum == null ? cost : cost.add(sum);
            unpriced |= r.getInt(6) > 0;
          }
        }
      }
      return new Totals(items, in, out, 0, unpriced ? null : cost.stripTrailingZeros(), byStatus);
    });
  }

  static BatchProgress progress(DataSource ds, String submission) {
    return with(ds, "read a submission's progress", c -> {
      Map<BatchItemStatus, Integer> byStatus = new EnumMap<>(BatchItemStatus.class);
      for (BatchItemStatus s : BatchItemStatus.values()) {
        byStatus.put(s, 0);
      }
      int items = 0;
      int pending = 0;
      try (PreparedStatement s = c.prepareStatement("SELECT status, count(*) FROM llmtask_batch_item"
          + " WHERE submission = ? GROUP BY status")) {
        s.setString(1, submission);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            int n = r.getInt(2);
            items += n;
            if (r.getString(1) == null) {
              pending += n;
            } else {
              byStatus.put(BatchItemStatus.valueOf(r.getString(1)), n);
            }
          }
        }
      }
      int parts = 0;
      int finished = 0;
      try (PreparedStatement s = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE state = 'finished')"
          + " FROM llmtask_batch_part WHERE submission = ?")) {
        s.setString(1, submission);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            parts = r.getInt(1);
            finished = r.getInt(2);
          }
        }
      }
      if (parts == 0) {
        throw new IllegalArgumentException("no batch submission " + submission + " is stored");
      }
      return new BatchProgress(submission, items, pending, byStatus, parts, finished);
    });
  }

  private static void update(DataSource ds, String what, String sql, String submission, int part, String owner) {
    with(ds, what, c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, submission);
        s.setInt(2, part);
        s.setString(3, owner);
        return s.executeUpdate();
      }
    });
  }
}
