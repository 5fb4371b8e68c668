package dev.llmtask.internal.call;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmTaskException;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.internal.output.OutputValidator.Verdict;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ModelRequest.Repair;
import dev.llmtask.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every task call shares, plain or streamed: the resolved policy and deadline, the Failsafe
 * policies of one model turn, the classification of failures, and exactly one terminal
 * {@link CallRecord} delivered to telemetry whatever ends the call.
 */
abstract class CallLifecycle<T> {
  final TaskExecutor executor;
  final TaskSpec<T> spec;
  final Invocation<T> inv;
  final CallPolicy policy;
  final long startNanos = System.nanoTime();
  final long deadlineNanos;
  final CompletableFuture<LlmResult<T>> result = new CompletableFuture<>();
  final AtomicInteger attempts = new AtomicInteger();
  private final List<Repair> repairs = new ArrayList<>(0);
  private final List<String> roundReasons = new ArrayList<>(0);
  /** Whether the attempt in flight was given the rest of the deadline as its timeout. */
  private volatile boolean attemptEndsAtDeadline;
  volatile Usage usage = Usage.NONE;
  private volatile java.util.Map<String, String> attributes = java.util.Map.of(); // of the last answer judged
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile CallRecord terminal;

  CallLifecycle(TaskExecutor executor, TaskSpec<T> spec, Invocation<T> inv) {
    this.executor = executor;
    this.spec = spec;
    this.inv = inv;
    this.policy = CallPolicy.resolve(spec, inv.options(), executor.settings());
    this.deadlineNanos = startNanos + policy.timeout().toNanos();
  }

  /** Called once when the call ends, after its record was delivered; release resources here. */
  abstract void onTerminal(CallStatus status);

  long remainingNanos() {
    return deadlineNanos - System.nanoTime();
  }

  /** The timeout of one attempt: the configured one, never past the deadline. */
  Duration attemptLimit(long remainingNanos) {
    Duration remaining = Duration.ofNanos(Math.max(remainingNanos, 1_000_000)); // the deadline task ends it anyway
    attemptEndsAtDeadline = policy.attemptTimeout().compareTo(remaining) >= 0;
    return attemptEndsAtDeadline ? remaining : policy.attemptTimeout();
  }

  /**
   * Failsafe for one model turn: classified retries with full-jitter backoff (or the provider's
   * retry-after), never past the deadline. Each attempt is bounded by the HTTP client's own request
   * timeout, and the whole call by its deadline ({@link #startDeadline()}), so no timer is
   * scheduled and cancelled per attempt.
   */
  <R> FailsafeExecutor<R> turnPolicies() {
    RetryPolicy<R> retry = RetryPolicy.<R>builder()
        .handleIf(this::retryable)
        .withMaxRetries(policy.maxRetries())
        .withDelayFn(ctx -> {
          Duration requested = unwrap(ctx.getLastException()) instanceof ProviderException pe ? pe.retryAfter() : null;
          Duration wait = executor.backoff.delay(ctx.getAttemptCount() - 1, requested);
          long left = remainingNanos();
          return wait.toNanos() < left ? wait : Duration.ofNanos(Math.max(0, left));
        })
        .build();
    return Failsafe.with(retry).with(executor.failsafeScheduler);
  }

  /** From now on the call ends TIMEOUT when its deadline passes, whatever it is doing then. */
  void startDeadline() {
    executor.ticker.watch(this);
  }

  /** Called by the ticker about every 10 ms while the call is in flight. */
  void onTick(long nowNanos) {
    if (nowNanos - deadlineNanos >= 0) {
      fail(CallStatus.TIMEOUT, timeoutReason(), null);
    }
  }

  private boolean retryable(Throwable failure) {
    long left = remainingNanos();
    if (left <= 0 || result.isDone()) {
      return false;
    }
    Throwable f = unwrap(failure);
    // a wait the provider demands that would pass the deadline ends the call now, with its status
    return f instanceof ProviderException pe && pe.retryable()
        && (pe.retryAfter() == null || pe.retryAfter().toNanos() < left);
  }

  /** Ends the call for a failed turn with the status the failure stands for. */
  void failWith(Throwable failure) {
    Throwable f = unwrap(failure);
    if (f instanceof ProviderException pe) {
      // An attempt bounded by the deadline times out with it; the HTTP client and the ticker race
      // to report that, so both must give the deadline's reason.
      boolean deadline = pe.status() == CallStatus.TIMEOUT && pe.httpStatus() == 0 && attemptEndsAtDeadline;
      fail(pe.status(), deadline ? timeoutReason() : pe.getMessage(), pe);
    } else if (f instanceof CancellationException) {
      cancelled();
    } else {
      // A provider must classify its failures; anything else is a provider bug, not worth retrying.
      fail(CallStatus.PROVIDER_ERROR, "unexpected failure: " + f.getClass().getSimpleName(), null);
    }
  }

  /** Ends the call when the reply is not a finished answer; true if it did. */
  boolean failIfUnfinished(ModelReply reply) {
    switch (reply.finish()) {
      case REFUSED -> fail(CallStatus.REFUSED, "the model refused to answer", null);
      case FILTERED -> fail(CallStatus.REFUSED, "the provider's content filter stopped the answer", null);
      case TRUNCATED -> fail(CallStatus.INVALID_OUTPUT,
          "truncated: the answer reached the output token limit (" + executor.settings().maxOutputTokens() + ")", null);
      case COMPLETE -> {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a finished answer: decode, Bean Validation, {@code @Check}. Returns the verdict, or
   * {@code null} after ending the call when a {@code @Check} method itself threw (the caller's bug,
   * reported with its exception as the cause).
   */
  Verdict<T> verdictOn(ModelReply reply) {
    try {
      Verdict<T> verdict = executor.validator.check(reply.output(), spec.decoder(), inv.checks());
      attributes = verdict.attributes();
      return verdict;
    } catch (RuntimeException e) {
      fail(CallStatus.INVALID_OUTPUT, "a @Check method threw " + e.getClass().getSimpleName(), e);
      return null;
    }
  }

  /** The request for the next model turn: the prompts and every re-ask so far. */
  ModelRequest nextRequest() {
    return new ModelRequest(spec.name(), policy.model(), inv.systemPrompt(), inv.userPrompt(), spec.schema(),
        repairs, 0, executor.settings().maxOutputTokens());
  }

  /**
   * Judges a turn's reply: ends the call (valid, refused, truncated, invalid with no re-ask left),
   * or records the violations for a re-ask and returns true when another turn is due.
   */
  boolean reaskAfter(ModelReply reply, int round) {
    if (failIfUnfinished(reply)) {
      return false;
    }
    Verdict<T> verdict = verdictOn(reply);
    if (verdict == null) {
      return false;
    }
    if (verdict.valid()) {
      succeed(verdict.value());
      return false;
    }
    roundReasons.add(verdict.reason());
    if (round >= policy.repairs()) {
      fail(CallStatus.INVALID_OUTPUT, perAnswerReasons(), null);
      return false;
    }
    repairs.add(new Repair(reply.output(), verdict.feedback()));
    return true;
  }

  /** One answer: its reason; after re-asks: {@code attempt 1: …; attempt 2: …}, one per answer. */
  private String perAnswerReasons() {
    if (roundReasons.size() == 1) {
      return roundReasons.get(0);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < roundReasons.size(); i++) {
      b.append(i == 0 ? "" : "; ").append("attempt ").append(i + 1).append(": ").append(roundReasons.get(i));
    }
    return b.toString();
  }

  void addUsage(Usage more) {
    synchronized (this) {
      usage = usage.plus(more);
    }
  }

  void succeed(T value) {
    if (finish(CallStatus.OK, null)) {
      result.complete(new LlmResult<>(value, terminal));
    }
  }

  void fail(CallStatus status, String reason, Throwable cause) {
    if (finish(status, reason)) {
      result.completeExceptionally(new LlmTaskException(terminal, cause));
    }
  }

  /** Ends the call CANCELLED (once) and returns its record. */
  CallRecord cancelled() {
    if (finish(CallStatus.CANCELLED, "the caller cancelled the call")) {
      result.completeExceptionally(new LlmTaskException(terminal));
    }
    return terminal;
  }

  /** Builds and delivers the one terminal record; false if the call had already ended. */
  private boolean finish(CallStatus status, String reason) {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    executor.ticker.forget(this);
    terminal = record(status, reason);
    executor.telemetry.deliver(terminal);
    onTerminal(status);
    return true;
  }

  /**
   * Waits for the call's result on the caller's thread. An interrupt cancels the call (and stays
   * set); a failure is rethrown as a fresh {@link LlmTaskException}, so its stack trace shows the
   * caller rather than an HTTP thread.
   */
  LlmResult<T> awaitResult() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmTaskException(cancelled());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LlmTaskException failed) {
        throw new LlmTaskException(failed.record(), failed.getCause());
      }
      throw new IllegalStateException("a task call failed unexpectedly", e.getCause());
    }
  }

  boolean ended() {
    return finished.get();
  }

  CallRecord terminalRecord() {
    return terminal;
  }

  String timeoutReason() {
    int n = attempts.get();
    return "no valid answer within " + policy.timeout().toMillis() + " ms" + (n > 1 ? " over " + n + " attempts" : "");
  }

  /** Token counts to record when the provider reported none; {@code null} to record what it reported. */
  Usage estimatedUsage(CallStatus status) {
    return null;
  }

  private CallRecord record(CallStatus status, String reason) {
    long latencyMs = (System.nanoTime() - startNanos) / 1_000_000;
    Usage estimate = estimatedUsage(status);
    Usage u = estimate != null ? estimate : usage;
    var settings = executor.settings();
    String traceId = inv.traceId() != null ? inv.traceId() : "trace_" + UUID.randomUUID().toString().replace("-", "");
    return new CallRecord(traceId, spec.name(), settings.provider().name(), policy.model(), spec.promptVersion(),
        status, attempts.get(), latencyMs, u.inputTokens(), u.outputTokens(), u.cachedInputTokens(),
        settings.rateCard().cost(policy.model(), u.inputTokens(), u.cachedInputTokens(), u.outputTokens()),
        reason, executor.fingerprints == null ? null : executor.fingerprints.of(inv.userPrompt()), inv.idempotencyKey(),
        estimate != null, attributes);
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static final String NO_MODEL = "no model: declare @LlmTask(model = \"…\") or set LlmRuntime.builder().defaultModel(\"…\")";
}
