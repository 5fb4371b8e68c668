package dev.llmtask.batch;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.RateCard;
import dev.llmtask.batch.BatchApi.Kind;
import dev.llmtask.batch.BatchApi.Poll;
import dev.llmtask.batch.BatchApi.ResultLine;
import dev.llmtask.batch.BatchApi.Terminal;
import dev.llmtask.codegen.DeferredCalls;
import dev.llmtask.codegen.DeferredCalls.Captured;
import dev.llmtask.codegen.DeferredCalls.Checked;
import dev.llmtask.provider.HttpProvider;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ProviderException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many calls of one task through a provider's Batch API, at the batch price, with every item
 * reconciled to a named {@link BatchItemStatus}: the answers are checked exactly like a synchronous
 * call's (schema, Bean Validation, {@code @Check}), and invalid ones can be re-asked as synchronous
 * calls. The requests are those a synchronous call of the task would send: rendered by the runtime's
 * provider from the processor-generated code.
 *
 * <p>State lives in PostgreSQL (plain JDBC, tables from {@link #schemaSql()}): the submission, the
 * provider batch ids, each item's custom id, the caller's key, its input and its outcome. Any
 * instance with the same jobs registered resumes polling and reconciliation after a restart; a lease
 * per provider batch (a row lock with an expiry, judged by the database clock) makes one instance poll
 * a batch at a time, and another take over when the lease expires. Each item's outcome is written
 * once ({@code … WHERE status IS NULL}), so an instance that dies mid-reconciliation and the one
 * that takes over never count an item twice.
 *
 * <p>Telemetry: one {@link CallRecord} per item (status {@code OK}, {@code INVALID_OUTPUT},
 * {@code PROVIDER_ERROR}, {@code TIMEOUT} for expired, {@code CANCELLED}; attribute
 * {@code batch_item_status}) and one per provider batch (attribute {@code batch_items}), delivered to
 * the runtime's sinks; cost is the runtime's rate card price times the API's batch discount (50 %).
 */
public final class LlmBatches {
  private static final Logger LOG = LoggerFactory.getLogger(LlmBatches.class);
  private static final String PARTS = "llmtask_batch_part";
  private static final String ITEMS = "llmtask_batch_item";

  /** The attribute carrying the provider batch id on every record of a batch. */
  public static final String BATCH_ID = "batch_id";
  /** The attribute carrying an item's {@link BatchItemStatus}, lower case. */
  public static final String BATCH_ITEM_STATUS = "batch_item_status";
  /** The attribute carrying the number of items on a provider batch's record. */
  public static final String BATCH_ITEMS = "batch_items";

  private final LlmRuntime runtime;
  private final DataSource dataSource;
  private final BatchApi api;
  private final Map<String, BatchJob<?, ?>> jobs = new ConcurrentHashMap<>();
  private final boolean reaskInvalid;
  private final Duration lease;
  private final Duration reaskTimeout;
  private final String owner = "llmb-owner-" + UUID.randomUUID();

  private LlmBatches(Builder b) {
    this.runtime = Objects.requireNonNull(b.runtime, "runtime: set LlmBatches.builder().runtime(…)");
    this.dataSource = Objects.requireNonNull(b.dataSource, "dataSource: set LlmBatches.builder().dataSource(…)");
    this.api = Objects.requireNonNull(b.api, "api: set LlmBatches.builder().api(BatchApi.openAi(…))");
    this.reaskInvalid = b.reaskInvalid;
    this.lease = b.lease;
    this.reaskTimeout = b.reaskTimeout;
    b.jobs.forEach(this::register);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The schema this store uses ({@code dev/llmtask/batch/postgresql.sql}), to run with your migrations. */
  public static String schemaSql() {
    try (var in = LlmBatches.class.getResourceAsStream("postgresql.sql")) {
      return new String(Objects.requireNonNull(in, "postgresql.sql").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Creates the tables when missing. */
  public LlmBatches createTablesIfMissing() {
    BatchStore.execute(dataSource, schemaSql());
    return this;
  }

  private void register(BatchJob<?, ?> job) {
    BatchJob<?, ?> known = jobs.putIfAbsent(job.name(), job);
    if (known != null && known != job) {
      throw new IllegalArgumentException("two batch jobs are named " + job.name() + ": give each its own name");
    }
  }

  // ---- submit -------------------------------------------------------------------------------

  /**
   * Stores the items and submits them to the provider, split into as many provider batches as the
   * models and the API's limits need.
   *
   * @throws IllegalArgumentException on a repeated key, or an item too large for one batch
   * @throws IllegalStateException when the runtime's provider does not speak this API
   * @throws BatchException when the provider refuses a batch; the submission is stored, and {@link #poll()}
   *     submits its remaining batches
   */
  public <I, T> BatchSubmission submit(BatchJob<I, T> job, List<BatchItem<I>> items) {
    Objects.requireNonNull(job, "job");
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one item");
    }
    register(job);
    Set<String> keys = new HashSet<>();
    for (BatchItem<I> item : items) {
      if (!keys.add(item.key())) {
        throw new IllegalArgumentException("the batch item key " + item.key() + " appears twice: keys must be unique"
            + " within a submission");
      }
    }
    String submission = "llmb_" + UUID.randomUUID().toString().replace("-", "");
    // render every item, group by model (one model per provider batch), then split by the limits
    Map<String, List<PendingItem>> byModel = new LinkedHashMap<>();
    String task = null;
    String promptVersion = null;
    for (int seq = 0; seq < items.size(); seq++) {
      BatchItem<I> item = items.get(seq);
      String customId = "i" + seq;
      Deferred deferred = defer(job, item.input());
      task = deferred.captured.spec().name();
      promptVersion = deferred.captured.spec().promptVersion();
      byte[] line = api.line(customId, deferred.provider.requestBody(deferred.request));
      if (line.length + api.overhead(1) > api.maxBytes) {
        throw new IllegalArgumentException("the request of batch item " + item.key() + " takes " + line.length
            + " bytes, more than one batch may hold (" + api.maxBytes + "): shorten its input or send it as a"
            + " synchronous call");
      }
      byModel.computeIfAbsent(deferred.request.model(), m -> new ArrayList<>())
          .add(new PendingItem(seq, customId, item.key(), BatchStore.json(item.input()), line));
    }
    List<Part> parts = new ArrayList<>();
    for (Map.Entry<String, List<PendingItem>> group : byModel.entrySet()) {
      List<PendingItem> current = new ArrayList<>();
      long bytes = 0;
      for (PendingItem p : group.getValue()) {
        if (!current.isEmpty() && (current.size() + 1 > api.maxRequests
            || bytes + p.line.length + api.overhead(current.size() + 1) > api.maxBytes)) {
          parts.add(new Part(parts.size(), group.getKey(), current));
          current = new ArrayList<>();
          bytes = 0;
        }
        current.add(p);
        bytes += p.line.length;
      }
      parts.add(new Part(parts.size(), group.getKey(), current));
    }
    BatchStore.insert(dataSource, submission, job.name(), api.provider(), task, promptVersion, parts, owner, lease);
    List<String> providerIds = new ArrayList<>();
    BatchException failure = null;
    for (Part part : parts) {
      try {
        providerIds.add(create(submission, part.index, part.lines()));
      } catch (BatchException e) {
        BatchStore.releaseLease(dataSource, submission, part.index, owner);
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return new BatchSubmission(submission, items.size(), providerIds);
  }

  /** Creates the provider batch of a part this instance holds the lease of, and records its id. */
  private String create(String submission, int part, List<byte[]> lines) {
    try {
      String id = api.create(lines, submission);
      BatchStore.submitted(dataSource, submission, part, owner, id);
      return id;
    } catch (IOException e) {
      throw new BatchException(api.provider() + " Batch API: cannot create a batch (" + e.getClass().getSimpleName()
          + "); poll() retries it", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BatchException("interrupted while creating a batch", e);
    }
  }

  /** One item rendered: its captured call, its first turn and the provider that renders and reads it. */
  private record Deferred(Captured<Object> captured, ModelRequest request, HttpProvider provider) {}

  private <I> Deferred defer(BatchJob<I, ?> job, I input) {
    Captured<Object> captured = DeferredCalls.capture(() -> job.call().apply(input));
    DeferredCalls.Plan plan = DeferredCalls.plan(runtime, captured);
    if (!(runtime.provider() instanceof HttpProvider provider) || !api.renders(provider)) {
      throw new IllegalStateException("the batch job " + job.name() + " runs on the provider " + plan.provider()
          + ", which does not speak the " + api.provider() + " Batch API: build LlmBatches with the BatchApi of the"
          + " runtime's provider (BatchApi.openAi for OpenAiProvider, BatchApi.anthropic for AnthropicProvider)");
    }
    ModelRequest request = new ModelRequest(captured.spec().name(), plan.model(), captured.invocation().systemPrompt(),
        captured.invocation().userPrompt(), captured.spec().schema(), List.of(), 0, plan.maxOutputTokens(),
        plan.sampling());
    return new Deferred(captured, request, provider);
  }

  @SuppressWarnings("unchecked")
  private Deferred defer(String jobName, String inputJson) {
    BatchJob<Object, ?> job = (BatchJob<Object, ?>) jobs.get(jobName);
    if (job == null) {
      throw new IllegalStateException("no batch job named " + jobName + " is registered on this instance: register"
          + " it with LlmBatches.builder().job(…) on every instance that polls");
    }
    return defer(job, BatchStore.fromJson(inputJson, job.inputType()));
  }

  record PendingItem(int seq, String customId, String key, String inputJson, byte[] line) {}

  record Part(int index, String model, List<PendingItem> items) {
    List<byte[]> lines() {
      return items.stream().map(PendingItem::line).toList();
    }
  }

  // ---- poll and reconcile -------------------------------------------------------------------

  /**
   * One polling round over every unfinished provider batch whose lease is free: takes the lease,
   * submits a batch not yet created, retrieves a running one's status, reconciles a finished one.
   * Call it on a schedule (every minute is plenty for real batches), on any number of instances.
   *
   * @return how many provider batches this round finished reconciling
   */
  public int poll() {
    int finished = 0;
    for (BatchStore.OpenPart open : BatchStore.openParts(dataSource, owner)) {
      if (!BatchStore.claim(dataSource, open.submission(), open.part(), owner, lease)) {
        continue; // another instance holds it
      }
      try {
        finished += pollPart(open) ? 1 : 0;
      } catch (RuntimeException e) {
        LOG.warn("Polling batch part {}/{} failed ({}); the next round retries it", open.submission(), open.part(),
            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      } finally {
        BatchStore.releaseLease(dataSource, open.submission(), open.part(), owner);
      }
    }
    return finished;
  }

  private boolean pollPart(BatchStore.OpenPart open) {
    try {
      if (open.providerBatchId() == null) {
        List<byte[]> lines = new ArrayList<>();
        for (BatchStore.ItemRow row : BatchStore.items(dataSource, open.submission(), open.part())) {
          Deferred d = defer(open.job(), row.input());
          lines.add(api.line(row.customId(), d.provider.requestBody(d.request)));
        }
        create(open.submission(), open.part(), lines);
        return false;
      }
      Poll poll = api.retrieve(open.providerBatchId());
      BatchStore.status(dataSource, open.submission(), open.part(), owner, poll.status());
      if (poll.terminal() == null) {
        return false;
      }
      reconcile(open, poll);
      return true;
    } catch (IOException e) {
      throw new BatchException(api.provider() + " Batch API: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BatchException("interrupted while polling", e);
    }
  }

  private void reconcile(BatchStore.OpenPart open, Poll poll) throws IOException, InterruptedException {
    Map<String, BatchStore.ItemRow> rows = new HashMap<>();
    for (BatchStore.ItemRow row : BatchStore.items(dataSource, open.submission(), open.part())) {
      rows.put(row.customId(), row);
    }
    long waitedMs = BatchStore.ageMillis(dataSource, open.submission(), open.part());
    RateCard card = DeferredCalls.rateCard(runtime);
    Set<String> seen = new HashSet<>();
    try (Connection c = BatchStore.connection(dataSource)) {
      api.results(poll, line -> {
        BatchStore.ItemRow row = rows.get(line.customId());
        if (row == null || row.status() != null || !seen.add(line.customId())) {
          return; // not ours, reconciled already (by an instance that held the lease before), or a repeated line
        }
        settle(c, open, poll, row, judge(open, row, line, card), waitedMs);
      });
      for (BatchStore.ItemRow row : rows.values()) {
        if (row.status() == null && !seen.contains(row.customId())) {
          settle(c, open, poll, row, missing(poll.terminal()), waitedMs);
        }
      }
    } catch (SQLException e) {
      throw new BatchException("batch store: cannot close a connection (SQLState " + e.getSQLState() + ")", e);
    }
    if (BatchStore.finish(dataSource, open.submission(), open.part(), owner, poll.status())) {
      DeferredCalls.deliver(runtime, batchRecord(open, poll, waitedMs));
    }
  }

  /** An item with no result line: what the batch's end says of it. */
  private static Verdict missing(Terminal terminal) {
    return switch (terminal) {
      case EXPIRED -> Verdict.of(BatchItemStatus.EXPIRED, "the batch expired before the item ran");
      case CANCELLED -> Verdict.of(BatchItemStatus.CANCELLED, "the batch was cancelled before the item ran");
      case FAILED -> Verdict.of(BatchItemStatus.PROVIDER_ERROR, "the batch failed validation at the provider");
      case COMPLETED -> Verdict.of(BatchItemStatus.PROVIDER_ERROR, "the completed batch has no result for the item");
    };
  }

  /** How one item ended, with its usage and cost. */
  record Verdict(BatchItemStatus status, String answer, String reason, boolean reasked, ModelReply.Usage usage,
      BigDecimal costUsd, int attempts, String requestId) {
    static Verdict of(BatchItemStatus status, String reason) {
      return new Verdict(status, null, reason, false, ModelReply.Usage.NONE, BigDecimal.ZERO, 0, null);
    }
  }

  private Verdict judge(BatchStore.OpenPart open, BatchStore.ItemRow row, ResultLine line, RateCard card) {
    switch (line.kind()) {
      case EXPIRED:
        return Verdict.of(BatchItemStatus.EXPIRED, line.reason());
      case CANCELLED:
        return Verdict.of(BatchItemStatus.CANCELLED, line.reason());
      case ERROR:
        return new Verdict(BatchItemStatus.PROVIDER_ERROR, null, line.reason(), false, ModelReply.Usage.NONE,
            BigDecimal.ZERO, 1, null);
      default:
        break;
    }
    Deferred d = defer(open.job(), row.input());
    ModelRequest request = d.request;
    ModelReply reply;
    try {
      reply = d.provider.readReply(request, line.httpStatus(), line.body());
    } catch (ProviderException e) {
      return new Verdict(BatchItemStatus.PROVIDER_ERROR, null, "HTTP " + line.httpStatus() + " " + e.status().wireName()
          + BatchApi.errorType(line.body()), false, ModelReply.Usage.NONE, BigDecimal.ZERO, 1, null);
    }
    BigDecimal cost = discounted(card, request.model(), reply.usage());
    Checked<Object> checked = DeferredCalls.check(runtime, d.captured, reply.output());
    if (checked.valid()) {
      return new Verdict(BatchItemStatus.SUCCEEDED, reply.output(), null, false, reply.usage(), cost, 1,
          reply.requestId());
    }
    if (!reaskInvalid) {
      return new Verdict(BatchItemStatus.INVALID_OUTPUT, null, checked.reason(), false, reply.usage(), cost, 1,
          reply.requestId());
    }
    return reask(d, request, reply, checked, cost, card);
  }

  /** The synchronous re-ask of an invalid batch answer: one turn with the violations, at the synchronous price. */
  private Verdict reask(Deferred d, ModelRequest request, ModelReply batchReply, Checked<Object> checked,
      BigDecimal batchCost, RateCard card) {
    ModelRequest again = new ModelRequest(request.task(), request.model(), request.systemPrompt(), request.userPrompt(),
        request.schema(), List.of(new ModelRequest.Repair(batchReply.output(), checked.feedback())), 0,
        request.maxOutputTokens(), request.sampling(), request.headers());
    ModelReply reply;
    try {
      reply = d.provider.call(again, reaskTimeout);
    } catch (ProviderException e) {
      return new Verdict(BatchItemStatus.INVALID_OUTPUT, null, checked.reason() + "; the re-ask failed: "
          + e.status().wireName(), true, batchReply.usage(), batchCost, 2, batchReply.requestId());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BatchException("interrupted while re-asking an invalid batch answer", e);
    }
    ModelReply.Usage usage = batchReply.usage().plus(reply.usage());
    BigDecimal reaskCost = card.cost(request.model(), reply.usage().inputTokens(), reply.usage().cachedInputTokens(),
        reply.usage().cacheWriteTokens(), reply.usage().outputTokens());
    BigDecimal cost = batchCost == null || reaskCost == null ? null : batchCost.add(reaskCost);
    Checked<Object> second = DeferredCalls.check(runtime, d.captured, reply.output());
    return second.valid()
        ? new Verdict(BatchItemStatus.SUCCEEDED, reply.output(), null, true, usage, cost, 2, reply.requestId())
        : new Verdict(BatchItemStatus.INVALID_OUTPUT, null, second.reason(), true, usage, cost, 2, reply.requestId());
  }

  private BigDecimal discounted(RateCard card, String model, ModelReply.Usage u) {
    BigDecimal full = card.cost(model, u.inputTokens(), u.cachedInputTokens(), u.cacheWriteTokens(), u.outputTokens());
    return full == null ? null : full.multiply(api.priceFactor()).stripTrailingZeros();
  }

  /** Writes the item's outcome once; the instance whose write lands delivers its record. */
  private void settle(Connection c, BatchStore.OpenPart open, Poll poll, BatchStore.ItemRow row, Verdict v,
      long waitedMs) {
    if (!BatchStore.settle(c, open.submission(), row.customId(), v)) {
      return;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(BATCH_ID, poll.batchId());
    attributes.put(BATCH_ITEM_STATUS, v.status().name().toLowerCase(java.util.Locale.ROOT));
    if (v.reasked()) {
      attributes.put("batch_reasked", "true");
    }
    ModelReply.Usage u = v.usage();
    DeferredCalls.deliver(runtime, new CallRecord(open.submission() + ":" + row.customId(), open.task(), api.provider(),
        open.model(), open.promptVersion(), callStatus(v.status()), v.attempts(), waitedMs, u.inputTokens(),
        u.outputTokens(), u.cachedInputTokens(), v.costUsd(), v.reason(), null, null, false, v.requestId(), List.of(),
        attributes));
  }

  static CallStatus callStatus(BatchItemStatus status) {
    return switch (status) {
      case SUCCEEDED -> CallStatus.OK;
      case INVALID_OUTPUT -> CallStatus.INVALID_OUTPUT;
      case PROVIDER_ERROR -> CallStatus.PROVIDER_ERROR;
      case EXPIRED -> CallStatus.TIMEOUT;
      case CANCELLED -> CallStatus.CANCELLED;
    };
  }

  private CallRecord batchRecord(BatchStore.OpenPart open, Poll poll, long waitedMs) {
    BatchStore.Totals t = BatchStore.totals(dataSource, open.submission(), open.part());
    CallStatus status = switch (poll.terminal()) {
      case COMPLETED -> CallStatus.OK;
      case EXPIRED -> CallStatus.TIMEOUT;
      case CANCELLED -> CallStatus.CANCELLED;
      case FAILED -> CallStatus.BAD_REQUEST;
    };
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(BATCH_ID, poll.batchId());
    attributes.put(BATCH_ITEMS, Integer.toString(t.items()));
    t.byStatus().forEach((s, n) -> attributes.put("batch_" + s.name().toLowerCase(java.util.Locale.ROOT), Integer.toString(n)));
    return new CallRecord(open.submission() + ":" + poll.batchId(), open.task(), api.provider(), open.model(),
        open.promptVersion(), status, t.items(), waitedMs, t.inputTokens(), t.outputTokens(), t.cachedInputTokens(),
        t.costUsd(), status == CallStatus.OK ? null : "the batch ended " + poll.status(), null, null, false, null,
        List.of(), attributes);
  }

  // ---- read ---------------------------------------------------------------------------------

  /** Where a submission stands. */
  public BatchProgress progress(String submissionId) {
    return BatchStore.progress(dataSource, Objects.requireNonNull(submissionId, "submissionId"));
  }

  /**
   * Every item's outcome, in submission order; items not reconciled yet are left out. A succeeded
   * item's value is its stored answer checked again, as the job's task decodes it.
   */
  public <T> List<BatchOutcome<T>> outcomes(BatchJob<?, T> job, String submissionId) {
    register(job);
    List<BatchOutcome<T>> out = new ArrayList<>();
    for (BatchStore.ItemRow row : BatchStore.items(dataSource, submissionId, -1)) {
      if (row.status() == null) {
        continue;
      }
      if (row.status() != BatchItemStatus.SUCCEEDED) {
        out.add(new BatchOutcome<>(row.key(), row.status(), null, row.reason(), row.reasked()));
        continue;
      }
      Deferred d = defer(job.name(), row.input());
      @SuppressWarnings("unchecked")
      Checked<T> checked = (Checked<T>) (Checked<?>) DeferredCalls.check(runtime, d.captured, row.answer());
      out.add(checked.valid() ? new BatchOutcome<>(row.key(), BatchItemStatus.SUCCEEDED, checked.value(), null, row.reasked())
          : new BatchOutcome<>(row.key(), BatchItemStatus.INVALID_OUTPUT, null, "the stored answer no longer passes the"
              + " task's checks: " + checked.reason(), row.reasked()));
    }
    return out;
  }

  /** Asks the provider to cancel every unfinished batch of the submission; {@link #poll()} reconciles them. */
  public void cancel(String submissionId) {
    for (BatchStore.OpenPart open : BatchStore.openParts(dataSource, owner)) {
      if (open.submission().equals(submissionId) && open.providerBatchId() != null) {
        try {
          api.cancel(open.providerBatchId());
        } catch (IOException e) {
          throw new BatchException(api.provider() + " Batch API: cannot cancel (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BatchException("interrupted while cancelling", e);
        }
      }
    }
  }

  /**
   * Polls every {@code interval} until the submission is done or {@code timeout} passes.
   *
   * @return the last progress
   */
  public BatchProgress awaitDone(String submissionId, Duration timeout, Duration interval) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    BatchProgress progress = progress(submissionId);
    while (!progress.done() && System.nanoTime() < end) {
      poll();
      progress = progress(submissionId);
      if (!progress.done()) {
        Thread.sleep(interval.toMillis());
      }
    }
    return progress;
  }

  @Override
  public String toString() {
    return "LlmBatches[" + api + ", jobs=" + jobs.keySet() + ", reaskInvalid=" + reaskInvalid + "]";
  }

  /** Builder of {@link LlmBatches}. */
  public static final class Builder {
    private LlmRuntime runtime;
    private DataSource dataSource;
    private BatchApi api;
    private final List<BatchJob<?, ?>> jobs = new ArrayList<>();
    private boolean reaskInvalid;
    private Duration lease = Duration.ofMinutes(2);
    private Duration reaskTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** The runtime whose provider renders the requests and whose sinks and rate card get the records (required). */
    public Builder runtime(LlmRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      return this;
    }

    /** The PostgreSQL database of the batch state (required); its connections must not join the caller's transaction. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** The provider's Batch API (required): {@link BatchApi#openAi} or {@link BatchApi#anthropic}. */
    public Builder api(BatchApi api) {
      this.api = Objects.requireNonNull(api, "api");
      return this;
    }

    /** Registers a job, so this instance can reconcile its batches whoever submitted them. */
    public Builder job(BatchJob<?, ?> job) {
      jobs.add(Objects.requireNonNull(job, "job"));
      return this;
    }

    /**
     * Re-asks an item whose batch answer fails the checks as one synchronous call (the answer and
     * its violations sent back, at the synchronous price) before it ends {@link BatchItemStatus#INVALID_OUTPUT}.
     * Off by default.
     */
    public Builder reaskInvalid(boolean reask) {
      this.reaskInvalid = reask;
      return this;
    }

    /** How long a poller's lease on a provider batch lasts before another instance may take it over (default 2 min). */
    public Builder lease(Duration lease) {
      if (lease == null || lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("lease must be positive, e.g. Duration.ofMinutes(2)");
      }
      this.lease = lease;
      return this;
    }

    /** The timeout of one synchronous re-ask (default 60 s). */
    public Builder reaskTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("reaskTimeout must be positive, e.g. Duration.ofSeconds(60)");
      }
      this.reaskTimeout = timeout;
      return this;
    }

    public LlmBatches build() {
      return new LlmBatches(this);
    }
  }
}
