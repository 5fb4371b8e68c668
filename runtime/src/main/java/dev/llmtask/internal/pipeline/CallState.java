package dev.llmtask.internal.pipeline;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmTaskException;
import dev.llmtask.RateCard;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.spi.CallAttributes;
import dev.llmtask.spi.Deadline;
import dev.llmtask.spi.TaskCall;
import dev.llmtask.spi.TaskCall.Mode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the links of one task call share: the resolved policy, the one deadline, the attempts and
 * usage so far, the attributes, what to cancel when the call ends early, and the call's result,
 * which is completed exactly once, with exactly one record, by {@link RecordLink#end}.
 */
final class CallState<T> implements Deadline {
  final Pipeline pipeline;
  final TaskSpec<T> spec;
  final Invocation<T> inv;
  final CallPolicy policy;
  final Mode mode;
  final TaskCall call;
  final long startNanos = System.nanoTime();
  final long deadlineNanos;
  final CompletableFuture<LlmResult<T>> result = new CompletableFuture<>();
  /** Provider exchanges started. */
  final AtomicInteger attempts = new AtomicInteger();
  /** Attempt numbers handed to exchange links (an interceptor may answer without an exchange). */
  final AtomicInteger attemptNumbers = new AtomicInteger();
  private final List<AttemptEntry> attemptLog = new ArrayList<>(1); // guarded by this
  private List<Runnable> onEarlyEnd; // guarded by this; run when the call ends other than OK
  private volatile Usage usage = Usage.NONE;
  private volatile String lastRequestId;
  private volatile CallAttributesMap attributes;
  final AtomicBoolean finished = new AtomicBoolean();
  /** The model's text of the last answer that passed every check, for the response cache. */
  volatile String acceptedOutput;
  volatile CallRecord terminal;

  // blocking calls: the caller's thread, interrupted at the deadline only while blocked in an exchange or a wait
  private final Thread owner;
  private boolean blocked; // guarded by this
  private boolean released; // guarded by this
  private boolean interruptedHere; // guarded by this
  private boolean callerInterrupted; // guarded by this

  // streamed calls
  StreamFront<T> front;
  volatile boolean streamOpened;
  /** The provider's end of stream arrived: from then on only the answer check runs, which cannot stall. */
  volatile boolean streamEnded;
  volatile long lastActivityNanos = startNanos;

  CallState(Pipeline pipeline, TaskSpec<T> spec, Invocation<T> inv, Mode mode) {
    this.pipeline = pipeline;
    this.spec = spec;
    this.inv = inv;
    this.mode = mode;
    this.policy = CallPolicy.resolve(spec, inv.options(), pipeline.settings);
    this.deadlineNanos = startNanos + policy.timeout().toNanos();
    this.owner = mode == Mode.BLOCKING ? Thread.currentThread() : null;
    String traceId = inv.traceId() != null ? inv.traceId() : newTraceId();
    this.call = new TaskCall(spec.name(), spec.promptVersion(), pipeline.defaultProviderName, policy.model(), traceId,
        inv.idempotencyKey(), inv.options().metadata(), mode, inv.systemPrompt(), inv.userPrompt());
  }

  /** A random trace id; not a secret, so no secure random (it costs a microsecond per call). */
  private static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "trace_" + hex(r.nextLong()) + hex(r.nextLong());
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    return "0000000000000000".substring(s.length()) + s;
  }

  // ---- the deadline ----

  long remainingNanos() {
    return deadlineNanos - System.nanoTime();
  }

  @Override
  public Duration remaining() {
    return Duration.ofNanos(remainingNanos());
  }

  /** The timeout of one attempt: the configured one, never past the deadline. */
  Duration attemptLimit() {
    Duration remaining = Duration.ofNanos(Math.max(remainingNanos(), 1_000_000)); // the deadline ends it anyway
    attemptEndsAtDeadline = policy.attemptTimeout().compareTo(remaining) >= 0;
    return attemptEndsAtDeadline ? remaining : policy.attemptTimeout();
  }

  /** Whether the attempt in flight was given the rest of the deadline as its timeout. */
  volatile boolean attemptEndsAtDeadline;

  /** Called by the ticker about every 10 ms while the call is in flight. */
  void onTick(long nowNanos) {
    if (nowNanos - deadlineNanos >= 0) {
      fail(CallStatus.TIMEOUT, timeoutReason(), null);
    } else if (streamOpened && !streamEnded && nowNanos - lastActivityNanos > pipeline.settings.streamIdleTimeout().toNanos()) {
      fail(CallStatus.TIMEOUT, "the stream stalled: nothing arrived for "
          + pipeline.settings.streamIdleTimeout().toMillis() + " ms", null);
    }
  }

  String timeoutReason() {
    int n = attempts.get();
    return "no valid answer within " + policy.timeout().toMillis() + " ms" + (n > 1 ? " over " + n + " attempts" : "");
  }

  // ---- waiting ----

  /**
   * Completes after {@code wait} or when the call ends, whichever is first. On a blocking call's own
   * thread it sleeps there (interruptible at the deadline); otherwise a scheduled task completes it.
   */
  CompletableFuture<Void> delay(Duration wait) {
    long nanos = Math.max(0, Math.min(wait.toNanos(), remainingNanos() + TimeUnit.MILLISECONDS.toNanos(CallTicker.TICK_MS)));
    if (nanos == 0 || ended()) {
      return CompletableFuture.completedFuture(null);
    }
    if (onOwnerThread()) {
      block(true);
      try {
        TimeUnit.NANOSECONDS.sleep(nanos);
      } catch (InterruptedException e) {
        interruptedWhileBlocked();
      } finally {
        block(false);
      }
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    ScheduledFuture<?> timer = pipeline.scheduler.schedule(() -> done.complete(null), nanos, TimeUnit.NANOSECONDS);
    onEarlyEnd(() -> {
      timer.cancel(false);
      done.complete(null);
    });
    return done;
  }

  boolean onOwnerThread() {
    return owner != null && Thread.currentThread() == owner;
  }

  synchronized void block(boolean entering) {
    blocked = entering && !released;
  }

  /** The owner was interrupted while blocked: by the deadline (ignored here), or by someone else: the call is cancelled. */
  void interruptedWhileBlocked() {
    synchronized (this) {
      if (interruptedHere) {
        return;
      }
      callerInterrupted = true;
    }
    fail(CallStatus.CANCELLED, "the caller cancelled the call", null);
  }

  /** The blocking call returns: clear an interrupt the runtime caused, keep (restore) the caller's. */
  void releaseOwner() {
    boolean clear;
    boolean restore;
    synchronized (this) {
      released = true;
      blocked = false;
      clear = interruptedHere;
      restore = callerInterrupted;
    }
    if (clear) {
      Thread.interrupted();
    }
    if (restore) {
      Thread.currentThread().interrupt();
    }
  }

  /** At an early end: interrupts the blocking caller's thread if it waits in an exchange or a wait right now. */
  synchronized void interruptOwnerIfBlocked() {
    if (blocked && !released && Thread.currentThread() != owner) {
      interruptedHere = true;
      owner.interrupt();
    }
  }

  // ---- what links add ----

  /** Runs {@code action} when the call ends other than OK (at once if it already has). */
  void onEarlyEnd(Runnable action) {
    synchronized (this) {
      if (!finished.get()) {
        if (onEarlyEnd == null) {
          onEarlyEnd = new ArrayList<>(2);
        }
        onEarlyEnd.add(action);
        return;
      }
    }
    if (terminal != null && terminal.status() != CallStatus.OK) {
      action.run();
    }
  }

  void runEarlyEndActions() {
    List<Runnable> actions;
    synchronized (this) {
      actions = onEarlyEnd;
      onEarlyEnd = null;
    }
    if (actions != null) {
      for (Runnable r : actions) {
        try {
          r.run();
        } catch (RuntimeException e) {
          // cancelling one exchange must not keep the others open
        }
      }
    }
  }

  /** The tool calls of this call, in order; {@code null} until the first (most calls use no tools). */
  private List<CallRecord.ToolCall> toolCalls; // guarded by this

  /** Logs one tool call for the record. */
  synchronized void toolCalled(CallRecord.ToolCall call) {
    if (toolCalls == null) {
      toolCalls = new ArrayList<>(2);
    }
    toolCalls.add(call);
  }

  /** The tool calls for the record. */
  synchronized List<CallRecord.ToolCall> toolCallRecords() {
    return toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  /** Starts the log entry of one provider attempt. */
  synchronized AttemptEntry attemptStarted(String provider, String model) {
    AttemptEntry e = new AttemptEntry(provider, model, System.nanoTime());
    attemptLog.add(e);
    return e;
  }

  /** An attempt received its reply. */
  void answered(AttemptEntry entry, ModelReply reply) {
    synchronized (this) {
      usage = usage.plus(reply.usage());
      entry.end(CallStatus.OK, reply.usage(), reply.requestId());
    }
    if (reply.requestId() != null) {
      lastRequestId = reply.requestId();
    }
  }

  synchronized void attemptFailed(AttemptEntry entry, CallStatus status) {
    entry.end(status, null, null);
  }

  Usage usage() {
    return usage;
  }

  String lastRequestId() {
    return lastRequestId;
  }

  /** The last attempt (whose route answered), or {@code null} when none was made. */
  synchronized AttemptEntry lastAttempt() {
    return attemptLog.isEmpty() ? null : attemptLog.get(attemptLog.size() - 1);
  }

  /** The attempts for the record; {@code callCost} is the call's cost when it is known to be the one attempt's. */
  synchronized List<CallRecord.Attempt> attemptRecords(CallStatus endedWith, RateCard rates, BigDecimal callCost) {
    if (attemptLog.isEmpty()) {
      return List.of();
    }
    long now = System.nanoTime();
    if (attemptLog.size() == 1) {
      AttemptEntry only = attemptLog.get(0);
      return List.of(only.toRecord(endedWith, now, callCost != null && only.usage != null ? callCost : null, rates));
    }
    List<CallRecord.Attempt> out = new ArrayList<>(attemptLog.size());
    for (AttemptEntry e : attemptLog) {
      out.add(e.toRecord(endedWith, now, null, rates));
    }
    return out;
  }

  CallAttributes attributes() {
    CallAttributesMap a = attributes;
    if (a == null) {
      synchronized (this) {
        a = attributes;
        if (a == null) {
          a = new CallAttributesMap();
          attributes = a;
        }
      }
    }
    return a;
  }

  Map<String, String> attributeSnapshot() {
    CallAttributesMap a = attributes;
    return a == null ? Map.of() : a.asMap();
  }

  // ---- the end ----

  boolean ended() {
    return finished.get();
  }

  void succeed(Object value) {
    pipeline.recordLink.end(this, CallStatus.OK, null, null, value);
  }

  void fail(CallStatus status, String reason, Throwable cause) {
    pipeline.recordLink.end(this, status, reason, cause, null);
  }

  /** Ends the call CANCELLED (once) and returns its record. */
  CallRecord cancel() {
    fail(CallStatus.CANCELLED, "the caller cancelled the call", null);
    return terminal;
  }

  /**
   * Waits for the result on the caller's thread. An interrupt cancels the call (and stays set); a
   * failure is rethrown as a fresh {@link LlmTaskException}, so its stack trace shows the caller.
   */
  LlmResult<T> awaitResult() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmTaskException(cancel());
    } catch (CancellationException e) {
      throw new LlmTaskException(cancel());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LlmTaskException failed) {
        throw new LlmTaskException(failed.record(), failed.getCause());
      }
      throw new IllegalStateException("a task call failed unexpectedly", e.getCause());
    }
  }

  /** One provider attempt as it happens; turned into a {@link CallRecord.Attempt} for the record. */
  static final class AttemptEntry {
    final String provider;
    final String model;
    private final long startNanos;
    private long endNanos;
    private CallStatus outcome;
    private Usage usage;
    private String requestId;

    AttemptEntry(String provider, String model, long startNanos) {
      this.provider = provider;
      this.model = model;
      this.startNanos = startNanos;
    }

    void end(CallStatus status, Usage u, String id) {
      if (outcome == null) {
        outcome = status;
        usage = u;
        requestId = id;
        endNanos = System.nanoTime();
      }
    }

    /** {@code cost}: the attempt's cost when already known, else priced here. */
    CallRecord.Attempt toRecord(CallStatus endedWith, long now, BigDecimal known, RateCard rates) {
      CallStatus o = outcome != null ? outcome : endedWith; // still in flight when the call ended
      long end = outcome != null ? endNanos : now;
      Usage u = usage == null ? Usage.NONE : usage;
      BigDecimal cost = known != null ? known : u.inputTokens() + u.outputTokens() == 0 ? BigDecimal.ZERO
          : rates.cost(model, u.inputTokens(), u.cachedInputTokens(), u.outputTokens());
      return new CallRecord.Attempt(provider, model, o, (end - startNanos) / 1_000_000, u.inputTokens(), u.outputTokens(),
          requestId, cost);
    }
  }
}
