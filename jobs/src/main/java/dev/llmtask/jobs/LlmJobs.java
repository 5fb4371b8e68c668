package dev.llmtask.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmTaskException;
import dev.llmtask.action.ActionBody;
import dev.llmtask.action.ActionInProgressException;
import dev.llmtask.action.ActionOutcome;
import dev.llmtask.action.ActionStoreException;
import dev.llmtask.action.IdempotentActions;
import dev.llmtask.action.JdbcActionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable background jobs on PostgreSQL: a task call submitted as a job gets a {@link JobId} at
 * once; its {@link JobStatus} (queued, running, succeeded, failed, with attempts and progress) is
 * polled by id from any instance; its result is stored as JSON and fetched by id, typed.
 *
 * <pre>{@code
 * LlmJobs jobs = LlmJobs.builder(dataSource).register(SUMMARISE).build();
 * jobs.createTablesIfMissing();
 * jobs.start();                                  // this instance runs jobs too
 * JobId id = jobs.submit(SUMMARISE, new SummaryRequest("doc_118", text));
 * jobs.status(id).state();                       // QUEUED, RUNNING, SUCCEEDED or FAILED
 * Summary summary = jobs.result(id, SUMMARISE);  // once it succeeded
 * }</pre>
 *
 * <p>The jobs run on <a href="https://github.com/kagkarlsson/db-scheduler">db-scheduler</a>: one
 * execution table, plain JDBC, each picked execution kept alive by a heartbeat. When an instance
 * dies mid-run its heartbeat stops; after {@link Builder#heartbeat heartbeat × missed heartbeats}
 * another instance revives the execution and runs the job again, as attempt n + 1, with the same
 * idempotency key. A job that throws an {@link LlmTaskException} with a retryable status is retried
 * with exponential backoff up to {@link Builder#maxAttempts}; any other failure fails it at once.
 * Side effects run through {@link JobContext#once}, keyed by the job, on an {@link IdempotentActions}
 * over the same database, so a rerun does not repeat them.
 *
 * <p>Thread-safe. Build one per application instance, with the same job types on every instance;
 * {@link #close()} stops it.
 */
public final class LlmJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LlmJobs.class);
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,37}");
  /** The task-call statuses a job is retried on: transient ones. Every other status fails the job at once. */
  static final Set<CallStatus> RETRYABLE = Set.copyOf(EnumSet.of(CallStatus.TIMEOUT, CallStatus.RATE_LIMITED,
      CallStatus.PROVIDER_ERROR));

  private final JobTable table;
  private final Map<String, JobType<?, ?>> types;
  private final Map<String, OneTimeTask<Void>> tasks;
  private final ObjectMapper mapper;
  private final IdempotentActions actions;
  private final JdbcActionStore ownActionStore;
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final Predicate<? super Throwable> retryWhen;
  private final Scheduler scheduler;

  private LlmJobs(Builder b) {
    this.table = new JobTable(b.dataSource, b.table);
    this.types = Map.copyOf(b.types);
    this.mapper = b.mapper;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.maxBackoff = b.maxBackoff;
    this.retryWhen = b.retryWhen;
    if (b.actions != null) {
      this.actions = b.actions;
      this.ownActionStore = null;
    } else {
      this.ownActionStore = JdbcActionStore.using(b.dataSource);
      this.actions = IdempotentActions.using(ownActionStore);
    }
    Map<String, OneTimeTask<Void>> byName = new LinkedHashMap<>();
    for (JobType<?, ?> type : types.values()) {
      byName.put(type.name(), Tasks.oneTime(type.name())
          .onFailure(new Backoff())
          .execute((instance, context) -> run(instance.getId())));
    }
    this.tasks = Map.copyOf(byName);
    List<Task<?>> known = new ArrayList<>(byName.values());
    this.scheduler = Scheduler.create(b.dataSource, known)
        .tableName(table.executionTable())
        .threads(b.threads)
        .pollingInterval(b.pollingInterval)
        .heartbeatInterval(b.heartbeat)
        .missedHeartbeatsLimit(b.missedHeartbeats)
        .shutdownMaxWait(b.shutdownMaxWait)
        .enableImmediateExecution()
        // a failed attempt is recorded in the jobs table; the engine's own log line would add nothing
        .failureLogging(LogLevel.DEBUG, false)
        .build();
  }

  /** A builder for jobs on {@code dataSource} (PostgreSQL), with the defaults its methods name. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The DDL of the jobs table, the engine's execution table and (when this {@code LlmJobs} made
   * its own action store) the actions table: the resource {@code dev/llmtask/jobs/postgresql.sql}
   * with the configured table name, then {@link JdbcActionStore#schemaSql()}.
   */
  public String schemaSql() {
    return table.schemaSql() + (ownActionStore == null ? "" : "\n" + ownActionStore.schemaSql());
  }

  /** Runs {@link #schemaSql()}: creates the tables that do not exist yet. Harmless when they do. */
  public void createTablesIfMissing() {
    table.createIfMissing();
    if (ownActionStore != null) {
      ownActionStore.createTableIfMissing();
    }
  }

  /**
   * Starts running jobs on this instance: polls for due jobs, keeps its running jobs' heartbeats,
   * and revives the runs of dead instances. Without it, this instance only submits and reads.
   */
  public LlmJobs start() {
    scheduler.start();
    return this;
  }

  /**
   * Submits a job: writes its input to the jobs table and schedules it to run at once, on whichever
   * started instance picks it first.
   *
   * @return the job's id, at once
   * @throws JobException {@code UNKNOWN_JOB_TYPE} when {@code type} is not registered here;
   *     {@code INPUT_NOT_SERIALISABLE} when Jackson cannot write {@code input} and read it back;
   *     {@code STORE_FAILURE} when the database fails (then no job exists)
   */
  public <I> JobId submit(JobType<I, ?> type, I input) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(input, "input");
    OneTimeTask<Void> task = taskOf(type.name());
    if (types.get(type.name()) != type) {
      throw new JobException(JobException.Reason.UNKNOWN_JOB_TYPE, "Another job type than the one registered is named "
          + type.name() + "; pass the registered JobType instance (keep it in a constant)", null);
    }
    String json = inputJson(type, input);
    JobId id = JobId.random();
    table.insert(id, type.name(), json);
    try {
      scheduler.schedule(task.instance(id.value()), Instant.now());
    } catch (RuntimeException e) {
      table.delete(id);
      throw new JobException(JobException.Reason.STORE_FAILURE, "Could not schedule job " + id + " of type "
          + type.name() + " in table " + table.executionTable() + " (" + e.getClass().getSimpleName() + ")", null);
    }
    return id;
  }

  /**
   * The job as it stands in the database.
   *
   * @throws JobException {@code UNKNOWN_JOB} when no job has this id; {@code STORE_FAILURE}
   */
  public JobStatus status(JobId id) {
    Objects.requireNonNull(id, "id");
    return table.status(id).orElseThrow(() -> unknownJob(id));
  }

  /**
   * The result of a job of {@code type} that succeeded, read from its stored JSON.
   *
   * @throws JobException {@code UNKNOWN_JOB}; {@code NOT_SUCCEEDED} while it is queued or running,
   *     or when it failed (see {@link #status}); {@code WRONG_RESULT_TYPE} when the job is of another
   *     type; {@code STORE_FAILURE}
   */
  public <O> O result(JobId id, JobType<?, O> type) {
    Objects.requireNonNull(type, "type");
    JobTable.Stored stored = stored(id);
    if (!stored.type().equals(type.name())) {
      throw wrongType(id, stored.type(), type.resultType(), "a job of type " + type.name());
    }
    return read(id, stored, type.resultType());
  }

  /**
   * The result of a job that succeeded, as {@code resultType}: its job type's result type or a
   * supertype of it.
   *
   * @throws JobException as {@link #result(JobId, JobType)}; {@code WRONG_RESULT_TYPE} when
   *     {@code resultType} is not its job type's result type, {@code UNKNOWN_JOB_TYPE} when the job's
   *     type is not registered here
   */
  public <O> O result(JobId id, Class<O> resultType) {
    Objects.requireNonNull(resultType, "resultType");
    JobTable.Stored stored = stored(id);
    JobType<?, ?> type = types.get(stored.type());
    if (type == null) {
      throw unknownType(stored.type());
    }
    if (!resultType.isAssignableFrom(type.resultType())) {
      throw wrongType(id, stored.type(), resultType, "its result type " + type.resultType().getName());
    }
    return resultType.cast(read(id, stored, type.resultType()));
  }

  /** Stops running jobs on this instance, waiting up to the builder's {@code shutdownMaxWait} for running ones. */
  @Override
  public void close() {
    scheduler.stop();
  }

  @Override
  public String toString() {
    return "LlmJobs[types=" + types.keySet() + ", table=" + table.executionTable().replace("_execution", "") + "]";
  }

  // --- running a job, on whichever instance picked it

  /** One attempt of a job; returns normally when the job is finished (the engine then forgets it). */
  private void run(String rawId) {
    JobTable.Run run = table.start(rawId).orElse(null);
    if (run == null) {
      return; // finished or withdrawn meanwhile: nothing to run
    }
    JobId id = JobId.of(rawId);
    if (run.attempt() > maxAttempts) {
      // only a run revived after its instance died gets here: every earlier attempt was started and lost
      table.endRun(id, run.attempt(), false, null, "AttemptsExhausted");
      LOG.warn("Job {} of type {} failed: attempt {} exceeds maxAttempts {} (its earlier runs died)", id, run.type(),
          run.attempt(), maxAttempts);
      return;
    }
    runAttempt(id, run, types.get(run.type()));
  }

  private <I, O> void runAttempt(JobId id, JobTable.Run run, JobType<I, O> type) {
    O result;
    try {
      I input = mapper.readValue(run.inputJson(), type.inputType());
      result = type.function().run(input, new Context(id, run.attempt()));
    } catch (Throwable t) {
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      endWithFailure(id, run, t);
      return;
    }
    String json;
    try {
      json = mapper.writeValueAsString(result);
      mapper.readValue(json, type.resultType());
    } catch (JsonProcessingException e) {
      table.endRun(id, run.attempt(), false, null, "ResultNotStorable: " + type.resultType().getName());
      LOG.warn("Job {} of type {} failed: its result {} cannot be written as JSON and read back", id, type.name(),
          type.resultType().getName());
      return;
    }
    if (!table.succeed(id, run.attempt(), json)) {
      LOG.warn("Job {} attempt {} finished after another run took it over; its result is not stored", id, run.attempt());
    }
  }

  private void endWithFailure(JobId id, JobTable.Run run, Throwable t) {
    CallStatus status = t instanceof LlmTaskException e ? e.status() : null;
    String failure = status != null ? status.name() : t.getClass().getName();
    boolean retryable = status != null ? RETRYABLE.contains(status) : retryWhen.test(t);
    boolean retry = retryable && run.attempt() < maxAttempts;
    if (!table.endRun(id, run.attempt(), retry, status, failure)) {
      return; // another run took it over
    }
    if (retry) {
      LOG.info("Job {} of type {} attempt {} of {} ended {}; retrying after backoff", id, run.type(), run.attempt(),
          maxAttempts, failure);
      throw new RetryLater(id, run.attempt());
    }
    LOG.warn("Job {} of type {} failed at attempt {}: {}{}", id, run.type(), run.attempt(), failure,
        retryable ? " (the last attempt)" : " (not retryable)");
  }

  /** Tells the engine to run the job again later; carries no cause, so no customer text reaches a log. */
  private static final class RetryLater extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryLater(JobId id, int attempt) {
      super("job " + id + " attempt " + attempt + " is retried", null, false, false);
    }
  }

  /** Exponential backoff from the engine's count of consecutive failures: backoff · 2^(n-1), at most maxBackoff. */
  private final class Backoff implements FailureHandler<Void> {
    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
      int failures = Math.max(1, complete.getExecution().consecutiveFailures + 1);
      long ms = backoff.toMillis() * (1L << Math.min(failures - 1, 30));
      operations.reschedule(complete, complete.getTimeDone().plusMillis(Math.min(ms, maxBackoff.toMillis())));
    }
  }

  private final class Context implements JobContext {
    private final JobId id;
    private final int attempt;

    Context(JobId id, int attempt) {
      this.id = id;
      this.attempt = attempt;
    }

    @Override
    public JobId id() {
      return id;
    }

    @Override
    public String idempotencyKey() {
      return id.value();
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public void progress(long done, long total) {
      new JobProgress(done, total); // checks the bounds
      table.progress(id, attempt, done, total);
    }

    @Override
    public <R> ActionOutcome<R> once(String action, Object request, Class<R> resultType, ActionBody<R> body) {
      return actions.once(action, idempotencyKey(), request, resultType, body);
    }

    @Override
    public String toString() {
      return "JobContext[" + id + ", attempt " + attempt + "]";
    }
  }

  // --- helpers

  private OneTimeTask<Void> taskOf(String name) {
    OneTimeTask<Void> task = tasks.get(name);
    if (task == null) {
      throw unknownType(name);
    }
    return task;
  }

  private <I> String inputJson(JobType<I, ?> type, I input) {
    try {
      String json = mapper.writeValueAsString(input);
      mapper.readValue(json, type.inputType()); // an input no instance can read back would fail every attempt
      return json;
    } catch (JsonProcessingException e) {
      // Jackson's message can quote the input: only its exception type is kept
      throw new JobException(JobException.Reason.INPUT_NOT_SERIALISABLE, "The input of job type " + type.name()
          + " cannot be written as JSON and read back as " + type.inputType().getName() + " ("
          + e.getClass().getSimpleName() + "); give it Jackson-readable properties (a record of plain values)", null);
    }
  }

  private JobTable.Stored stored(JobId id) {
    Objects.requireNonNull(id, "id");
    JobTable.Stored stored = table.result(id).orElseThrow(() -> unknownJob(id));
    if (stored.state() != JobState.SUCCEEDED) {
      throw new JobException(JobException.Reason.NOT_SUCCEEDED, "Job " + id + " of type " + stored.type() + " is "
          + stored.state() + ", not SUCCEEDED: poll status(id) until it has finished", null);
    }
    return stored;
  }

  private <O> O read(JobId id, JobTable.Stored stored, Class<O> resultType) {
    try {
      return mapper.readValue(stored.resultJson(), resultType);
    } catch (JsonProcessingException e) {
      throw wrongType(id, stored.type(), resultType, "the stored JSON (" + e.getClass().getSimpleName() + ")");
    }
  }

  private JobException unknownType(String name) {
    return new JobException(JobException.Reason.UNKNOWN_JOB_TYPE, "Job type " + name + " is not registered; register it"
        + " with LlmJobs.builder(dataSource).register(type) on every instance (registered: " + types.keySet() + ")", null);
  }

  private static JobException unknownJob(JobId id) {
    return new JobException(JobException.Reason.UNKNOWN_JOB, "No job " + id + " in the jobs table", null);
  }

  private static JobException wrongType(JobId id, String type, Class<?> asked, String what) {
    return new JobException(JobException.Reason.WRONG_RESULT_TYPE, "The result of job " + id + " (type " + type
        + ") cannot be read as " + asked.getName() + ": it does not match " + what, null);
  }

  /** Configures {@link LlmJobs}. Every setting is checked here, naming the setting. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Map<String, JobType<?, ?>> types = new LinkedHashMap<>();
    private String table = JobTable.DEFAULT_TABLE;
    private ObjectMapper mapper = JsonMapper.builder().addModule(new Jdk8Module()).build();
    private IdempotentActions actions;
    private int maxAttempts = 5;
    private Duration backoff = Duration.ofSeconds(5);
    private Duration maxBackoff = Duration.ofMinutes(10);
    private Predicate<? super Throwable> retryWhen = t -> t instanceof ActionInProgressException
        || t instanceof ActionStoreException;
    private int threads = 4;
    private Duration pollingInterval = Duration.ofSeconds(10);
    private Duration heartbeat = Duration.ofSeconds(30);
    private int missedHeartbeats = 6;
    private Duration shutdownMaxWait = Duration.ofSeconds(30);

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Registers job types this instance can submit and run. Register the same ones on every instance. */
    public Builder register(JobType<?, ?>... jobTypes) {
      for (JobType<?, ?> type : jobTypes) {
        Objects.requireNonNull(type, "jobType");
        if (types.putIfAbsent(type.name(), type) != null) {
          throw new IllegalArgumentException("register: job type " + type.name() + " is registered twice; job type names"
              + " must be unique");
        }
      }
      return this;
    }

    /**
     * The jobs table's name (default {@code llmtask_job}); the engine's table is this name with
     * {@code _execution}. Lower-case letters, digits and underscores, at most 38 characters.
     */
    public Builder table(String table) {
      if (table == null || !TABLE_NAME.matcher(table).matches()) {
        throw new IllegalArgumentException("table must be lower-case letters, digits and underscores, at most 38"
            + " characters, e.g. " + JobTable.DEFAULT_TABLE);
      }
      this.table = table;
      return this;
    }

    /** The Jackson mapper for inputs and results (default: the JDK 8 types module). */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * The actions that {@link JobContext#once} runs on. Default: {@link IdempotentActions} on a
     * {@link JdbcActionStore} in the table {@code llmtask_action} of this database (created by
     * {@link LlmJobs#createTablesIfMissing()}). Its lease must exceed the longest action.
     */
    public Builder actions(IdempotentActions actions) {
      this.actions = Objects.requireNonNull(actions, "actions");
      return this;
    }

    /** Attempts per job in all, counting runs lost with their instance (default 5; at least 1). */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait before a retry of a job: {@code backoff · 2^(n-1)} after the n-th consecutive failed
     * attempt, at most {@code maxBackoff} (default 5 s, at most 10 min). The task call's own retries
     * (the runtime's policies) happen inside each attempt, before this.
     */
    public Builder backoff(Duration backoff, Duration maxBackoff) {
      this.backoff = positive(backoff, "backoff");
      this.maxBackoff = positive(maxBackoff, "maxBackoff");
      if (maxBackoff.compareTo(backoff) < 0) {
        throw new IllegalArgumentException("maxBackoff must be at least backoff");
      }
      return this;
    }

    /**
     * Which exceptions other than {@code LlmTaskException} retry a job (an {@code LlmTaskException}
     * is retried on {@code TIMEOUT}, {@code RATE_LIMITED} and {@code PROVIDER_ERROR} only). Default:
     * {@code ActionInProgressException} and {@code ActionStoreException}.
     */
    public Builder retryWhen(Predicate<? super Throwable> retryWhen) {
      this.retryWhen = Objects.requireNonNull(retryWhen, "retryWhen");
      return this;
    }

    /** Jobs run at once on this instance (default 4). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * How often the instance looks for due jobs (default 10 s). Jobs submitted on a started instance
     * start at once without waiting for the poll.
     */
    public Builder pollingInterval(Duration pollingInterval) {
      this.pollingInterval = positive(pollingInterval, "pollingInterval");
      return this;
    }

    /**
     * How often a running job's heartbeat is written (default 30 s), and after how many missed
     * heartbeats a run is presumed dead and revived on another instance (default 6: 3 min). A job
     * that runs longer than that keeps its heartbeat; only a dead instance misses them.
     */
    public Builder heartbeat(Duration interval, int missedHeartbeats) {
      this.heartbeat = positive(interval, "heartbeat");
      if (missedHeartbeats < 2) {
        throw new IllegalArgumentException("missedHeartbeats must be at least 2, was " + missedHeartbeats);
      }
      this.missedHeartbeats = missedHeartbeats;
      return this;
    }

    /** How long {@link LlmJobs#close()} waits for running jobs (default 30 s); the rest are revived elsewhere. */
    public Builder shutdownMaxWait(Duration shutdownMaxWait) {
      this.shutdownMaxWait = positive(shutdownMaxWait, "shutdownMaxWait");
      return this;
    }

    /** @throws IllegalArgumentException when no job type is registered */
    public LlmJobs build() {
      if (types.isEmpty()) {
        throw new IllegalArgumentException("register at least one JobType: LlmJobs.builder(dataSource).register(type)");
      }
      return new LlmJobs(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
