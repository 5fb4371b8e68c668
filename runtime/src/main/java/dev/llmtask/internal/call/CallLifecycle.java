package dev.llmtask.internal.call;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmTaskException;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.internal.output.OutputValidator.Verdict;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.provider.ProviderException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
  volatile Usage usage = Usage.NONE;
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
    Duration remaining = Duration.ofNanos(remainingNanos);
    return policy.attemptTimeout().compareTo(remaining) < 0 ? policy.attemptTimeout() : remaining;
  }

  /**
   * The policies of one model turn, outermost first: the remaining deadline, classified retries
   * with full-jitter backoff (or the provider's retry-after), and the per-attempt timeout.
   */
  <R> FailsafeExecutor<R> turnPolicies(long remainingNanos) {
    Timeout<R> overall = Timeout.<R>builder(Duration.ofNanos(remainingNanos)).withInterrupt().build();
    Timeout<R> perAttempt = Timeout.<R>builder(attemptLimit(remainingNanos)).withInterrupt().build();
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
    return Failsafe.with(overall, retry, perAttempt).with(executor.scheduler);
  }

  private boolean retryable(Throwable failure) {
    long left = remainingNanos();
    if (left <= 0 || result.isDone()) {
      return false;
    }
    Throwable f = unwrap(failure);
    if (f instanceof ProviderException pe) {
      // a wait the provider demands that would pass the deadline ends the call now, with its status
      return pe.retryable() && (pe.retryAfter() == null || pe.retryAfter().toNanos() < left);
    }
    return f instanceof TimeoutExceededException;
  }

  /** Ends the call for a failed turn with the status the failure stands for. */
  void failWith(Throwable failure) {
    Throwable f = unwrap(failure);
    if (f instanceof ProviderException pe) {
      fail(pe.status(), pe.getMessage(), pe);
    } else if (f instanceof TimeoutExceededException) {
      fail(CallStatus.TIMEOUT, timeoutReason(), null);
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
      return executor.validator.check(reply.output(), spec.decoder(), inv.checks());
    } catch (RuntimeException e) {
      fail(CallStatus.INVALID_OUTPUT, "a @Check method threw " + e.getClass().getSimpleName(), e);
      return null;
    }
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
    terminal = record(status, reason);
    executor.telemetry.deliver(terminal);
    onTerminal(status);
    return true;
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

  private CallRecord record(CallStatus status, String reason) {
    long latencyMs = (System.nanoTime() - startNanos) / 1_000_000;
    Usage u = usage;
    var settings = executor.settings();
    String traceId = inv.traceId() != null ? inv.traceId() : "trace_" + UUID.randomUUID().toString().replace("-", "");
    return new CallRecord(traceId, spec.name(), settings.provider().name(), policy.model(), spec.promptVersion(),
        status, attempts.get(), latencyMs, u.inputTokens(), u.outputTokens(), u.cachedInputTokens(),
        settings.rateCard().cost(policy.model(), u.inputTokens(), u.cachedInputTokens(), u.outputTokens()),
        reason, executor.fingerprints == null ? null : executor.fingerprints.of(inv.userPrompt()), inv.idempotencyKey());
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static final String NO_MODEL = "no model: declare @LlmTask(model = \"…\") or set LlmRuntime.builder().defaultModel(\"…\")";
}
