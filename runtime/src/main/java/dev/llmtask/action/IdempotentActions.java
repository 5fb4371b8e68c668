package dev.llmtask.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.llmtask.CallRecord;
import dev.llmtask.IdempotencyKey;
import dev.llmtask.action.ActionEntry.State;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The "act" boundary: runs a side effect (create a job, send an e-mail, charge a card) once per
 * idempotency key, and returns the stored result to every repeat, across threads and processes as
 * far as the {@link ActionStore} is shared.
 *
 * <p>What is guaranteed, window by window: before the claim nothing runs; while a call holds the
 * claim, no other call runs the action (they wait, then get {@link ActionInProgressException});
 * once the result is stored, the action never runs again for the key. One window stays open: when
 * the process dies, or the store fails, <em>after</em> the side effect and <em>before</em> the
 * result is stored, the next call after the lease runs the body again. A plain {@link ActionBody}
 * then repeats the side effect; a {@link ResumableActionBody} is told it is a
 * {@linkplain ActionContext#takeover() takeover}, sees the dead run's last
 * {@linkplain ActionContext#checkpoint checkpoint}, and gets a {@linkplain ActionContext#fencingToken()
 * fencing token} the dead run's late writes cannot reuse, so it can finish the job instead of
 * repeating it. A store failure says in {@link ActionStoreException#failedStep()} which step failed.
 *
 * <pre>{@code
 * IdempotentActions actions = IdempotentActions.using(JdbcActionStore.using(dataSource));
 * ActionOutcome<RotationJob> job = actions.once("create_rotation_job", "rotate_acct_10234_2026_11",
 *     request, RotationJob.class, () -> jobs.create(request));
 * job.value();    // the same job on every call with this key
 * job.created();  // true only in the call that created it
 * }</pre>
 *
 * <p>Each call first claims (action, key) atomically in the store. The winner runs the action and
 * stores its result as JSON. Concurrent callers wait up to {@link Builder#waitFor waitFor} for that
 * result, then get {@link ActionInProgressException}. A claim whose owner died is taken over once its
 * {@link Builder#lease lease} has expired, never earlier. The key is bound to the request's
 * fingerprint (SHA-256 of its canonical JSON): the same key with another request is an
 * {@link IdempotencyKeyReuseException}, never a second action. When the action throws, the claim is
 * released so that a retry runs it again, unless {@link Builder#recordFailureWhen recordFailureWhen}
 * matches the exception: then the failure is recorded and repeats get {@link ActionFailedException}.
 *
 * <p>Thread-safe; build one per configuration and share it.
 */
public final class IdempotentActions {
  /** Stripe's limit; long enough for a UUID or a composed business key, short enough for an index. */
  public static final int MAX_KEY_LENGTH = 255;

  private static final Pattern ACTION_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  private static final long FIRST_POLL_MS = 10;
  private static final long MAX_POLL_MS = 200;

  private final ActionStore store;
  private final Duration lease;
  private final Duration waitFor;
  private final Duration retention;
  private final Predicate<? super Throwable> recordFailureWhen;
  private final ObjectMapper mapper;
  private final RequestFingerprint fingerprint;

  private IdempotentActions(Builder b) {
    this.store = b.store;
    this.lease = b.lease;
    this.waitFor = b.waitFor;
    this.retention = b.retention;
    this.recordFailureWhen = b.recordFailureWhen;
    this.mapper = b.mapper;
    this.fingerprint = new RequestFingerprint(b.mapper);
  }

  /** Actions on {@code store} with the defaults of {@link #builder(ActionStore)}. */
  public static IdempotentActions using(ActionStore store) {
    return builder(store).build();
  }

  /**
   * A builder with the defaults: lease 60 s, wait 10 s, results kept forever, every failure releases
   * the claim, a Jackson mapper with the JDK 8 types module.
   */
  public static Builder builder(ActionStore store) {
    return new Builder(store);
  }

  /**
   * Runs {@code body} unless an earlier call with this action and key ran it; returns its result or
   * the stored one.
   *
   * @param action the action's name, e.g. {@code create_rotation_job}: letters, digits and
   *     {@code _ . : -}, at most 100 characters; keys are scoped by it
   * @param key the caller's idempotency key: not blank, at most {@value #MAX_KEY_LENGTH} characters,
   *     no control characters. An identifier, not customer text: it appears in error messages
   * @param request what the action acts on; its fingerprint binds the key. Must be writable as JSON
   * @param resultType the result's type; Jackson must write it and read it back
   * @throws IllegalArgumentException on a bad action name, key or request; nothing is claimed then
   * @throws IdempotencyKeyReuseException when the key was used with another request
   * @throws ActionInProgressException when another call holds the claim past the wait
   * @throws ActionFailedException see {@link ActionFailedException.Reason}
   * @throws ActionStoreException when the store cannot be reached; {@link ActionStoreException#failedStep()}
   *     says whether the action may have run
   */
  public <R> ActionOutcome<R> once(String action, String key, Object request, Class<R> resultType, ActionBody<R> body) {
    Objects.requireNonNull(body, "body");
    return once(action, key, request, resultType, (ResumableActionBody<R>) context -> body.run());
  }

  /**
   * {@link #once(String, String, Object, Class, ActionBody) once} with a body that is told about its
   * run: whether it takes over a run that stored no outcome, its attempt and fencing token, and the
   * last checkpoint ({@link ActionContext}). Everything else is the same.
   */
  public <R> ActionOutcome<R> once(String action, String key, Object request, Class<R> resultType,
      ResumableActionBody<R> body) {
    checkActionName(action);
    checkKey(key);
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(resultType, "resultType");
    Objects.requireNonNull(body, "body");
    String print = fingerprint.of(request);
    String owner = UUID.randomUUID().toString();
    long start = System.nanoTime();
    long pollMs = FIRST_POLL_MS;
    while (true) {
      ActionEntry entry = store.claim(action, key, print, owner, lease);
      if (entry.claimedBy(owner)) {
        return new ActionOutcome<>(run(action, key, owner, entry, resultType, body), true);
      }
      if (!entry.fingerprint().equals(print)) {
        throw new IdempotencyKeyReuseException(action, key);
      }
      switch (entry.state()) {
        case COMPLETED:
          return new ActionOutcome<>(read(entry.result(), resultType, action, key), false);
        case FAILED:
          throw new ActionFailedException(action, key, ActionFailedException.Reason.FAILED_EARLIER, entry.failure(), null);
        default: // CLAIMED by another call: wait for it, or for its lease to expire
          long waitedMs = (System.nanoTime() - start) / 1_000_000;
          long leftMs = waitFor.toMillis() - waitedMs;
          if (leftMs <= 0) {
            throw new ActionInProgressException(action, key, Duration.ofMillis(waitedMs));
          }
          sleep(Math.min(pollMs, leftMs), action, key, waitedMs);
          pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
      }
    }
  }

  /**
   * {@link #once(String, String, Object, Class, ActionBody) once} keyed by the idempotency key of
   * the task call that decided on this action: the task method's {@link IdempotencyKey} parameter,
   * carried in its {@link CallRecord} (get it with an {@code LlmResult<T>} return type).
   *
   * @throws IllegalArgumentException when the record carries no idempotency key
   */
  public <R> ActionOutcome<R> once(String action, CallRecord decidedBy, Object request, Class<R> resultType,
      ActionBody<R> body) {
    Objects.requireNonNull(decidedBy, "decidedBy");
    if (decidedBy.idempotencyKey() == null) {
      throw new IllegalArgumentException("The call record of task " + decidedBy.task() + " carries no idempotency key:"
          + " declare an @IdempotencyKey String parameter on the task method and pass the key to it");
    }
    return once(action, decidedBy.idempotencyKey(), request, resultType, body);
  }

  /** Runs the body as the claim's owner and settles the claim: result stored, failure recorded, or claim released. */
  private <R> R run(String action, String key, String owner, ActionEntry claim, Class<R> resultType,
      ResumableActionBody<R> body) {
    R value;
    try {
      value = body.run(new Run(action, key, owner, claim));
    } catch (Throwable t) {
      settleFailure(action, key, owner, t);
      if (t instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      if (t instanceof Error error) {
        throw error;
      }
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ActionFailedException(action, key, ActionFailedException.Reason.THREW, t.getClass().getName(), t);
    }
    String json;
    try {
      json = mapper.writeValueAsString(value);
      mapper.readValue(json, resultType); // a result that cannot be read back would break every repeat
    } catch (JsonProcessingException e) {
      // the action has run: record the failure rather than release, so that no retry runs it again
      store.finish(action, key, owner, State.FAILED, e.getClass().getName(), retention);
      throw notStorable(action, key, resultType, e);
    }
    if (!store.finish(action, key, owner, State.COMPLETED, json, retention)) {
      throw new ActionFailedException(action, key, ActionFailedException.Reason.LEASE_LOST, null, null);
    }
    return value;
  }

  /** The context of the run that holds the claim. */
  private final class Run implements ActionContext {
    private final String action;
    private final String key;
    private final String owner;
    private final ActionEntry claim;
    private volatile String checkpoint;

    Run(String action, String key, String owner, ActionEntry claim) {
      this.action = action;
      this.key = key;
      this.owner = owner;
      this.claim = claim;
      this.checkpoint = claim.checkpoint();
    }

    @Override
    public boolean takeover() {
      return claim.takenOver();
    }

    @Override
    public int attempt() {
      return (int) Math.min(Integer.MAX_VALUE, claim.fence());
    }

    @Override
    public long fencingToken() {
      return claim.fence();
    }

    @Override
    public Optional<String> lastCheckpoint() {
      return Optional.ofNullable(checkpoint);
    }

    @Override
    public void checkpoint(String note) {
      Objects.requireNonNull(note, "checkpoint");
      if (note.length() > MAX_CHECKPOINT_LENGTH) {
        throw new IllegalArgumentException("A checkpoint has at most " + MAX_CHECKPOINT_LENGTH + " characters, this one "
            + note.length() + "; record an identifier, not a document");
      }
      if (!store.checkpoint(action, key, owner, note)) {
        throw new ActionFailedException(action, key, ActionFailedException.Reason.LEASE_LOST, null, null);
      }
      checkpoint = note;
    }

    @Override
    public String toString() {
      return "ActionContext[attempt=" + claim.fence() + (claim.takenOver() ? ", takeover" : "") + "]";
    }
  }

  private void settleFailure(String action, String key, String owner, Throwable failure) {
    try {
      if (recordFailureWhen.test(failure)) {
        store.finish(action, key, owner, State.FAILED, failure.getClass().getName(), retention);
      } else {
        store.release(action, key, owner);
      }
    } catch (RuntimeException storeFailure) {
      // the action's own failure matters more; the claim then ends with its lease
      failure.addSuppressed(storeFailure);
    }
  }

  private <R> R read(String json, Class<R> resultType, String action, String key) {
    try {
      return mapper.readValue(json, resultType);
    } catch (JsonProcessingException e) {
      throw notStorable(action, key, resultType, e);
    }
  }

  /**
   * Jackson's messages can quote values of the result, so only the exception type and the property
   * path (names, no values) are kept, not the exception itself.
   */
  private static ActionFailedException notStorable(String action, String key, Class<?> resultType,
      JsonProcessingException e) {
    String where = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? " at " + m.getPathReference() : "";
    return new ActionFailedException(action, key, ActionFailedException.Reason.RESULT_NOT_STORABLE,
        resultType.getName() + " (" + e.getClass().getSimpleName() + where + ")", null);
  }

  private static void sleep(long ms, String action, String key, long waitedMs) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ActionInProgressException stop = new ActionInProgressException(action, key, Duration.ofMillis(waitedMs));
      stop.addSuppressed(e);
      throw stop;
    }
  }

  private static void checkActionName(String action) {
    if (action == null || !ACTION_NAME.matcher(action).matches()) {
      throw new IllegalArgumentException("The action name must be 1 to 100 letters, digits or _ . : -"
          + " (e.g. create_rotation_job)" + (action == null ? "; it is null" : ""));
    }
  }

  /** The key is not echoed: a bad key may be anything. */
  private static void checkKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("The idempotency key is null; pass the caller's key for this action");
    }
    if (key.isBlank()) {
      throw new IllegalArgumentException("The idempotency key is blank; pass the caller's key for this action");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("The idempotency key has " + key.length() + " characters; at most "
          + MAX_KEY_LENGTH + " are allowed");
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("The idempotency key contains a control character");
    }
  }

  /** Configures {@link IdempotentActions}. */
  public static final class Builder {
    private final ActionStore store;
    private Duration lease = Duration.ofSeconds(60);
    private Duration waitFor = Duration.ofSeconds(10);
    private Duration retention;
    private Predicate<? super Throwable> recordFailureWhen = failure -> false;
    private ObjectMapper mapper = JsonMapper.builder().addModule(new Jdk8Module()).build();

    private Builder(ActionStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * How long a claim protects a running action before another caller may take it over, presuming
     * its owner died. Must exceed the longest time the action can take: a call that outlives its
     * lease may see another call run the action too (it then gets {@link ActionFailedException.Reason#LEASE_LOST}).
     */
    public Builder lease(Duration lease) {
      this.lease = positive(lease, "lease");
      return this;
    }

    /** How long a call waits for another call's result with the same key; zero refuses at once. */
    public Builder waitFor(Duration waitFor) {
      Objects.requireNonNull(waitFor, "waitFor");
      if (waitFor.isNegative()) {
        throw new IllegalArgumentException("waitFor must not be negative");
      }
      this.waitFor = waitFor;
      return this;
    }

    /** How long a finished key keeps its result (or recorded failure); after that the key is free again. */
    public Builder retention(Duration retention) {
      this.retention = positive(retention, "retention");
      return this;
    }

    /**
     * Which failures of the action are recorded, so that repeats get
     * {@link ActionFailedException.Reason#FAILED_EARLIER} instead of running it again: permanent
     * failures such as a rejected request. Every other failure releases the claim, so that a retry
     * runs the action again (the default for all failures: transient failures are never cached).
     */
    public Builder recordFailureWhen(Predicate<? super Throwable> recordFailureWhen) {
      this.recordFailureWhen = Objects.requireNonNull(recordFailureWhen, "recordFailureWhen");
      return this;
    }

    /** The Jackson mapper that fingerprints requests and stores results. */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    public IdempotentActions build() {
      return new IdempotentActions(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
