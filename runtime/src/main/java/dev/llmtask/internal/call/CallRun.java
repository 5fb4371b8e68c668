package dev.llmtask.internal.call;

import dev.failsafe.Failsafe;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One task call from start to its single terminal record: model turns with classified retries
 * inside the deadline (Failsafe, async), answer checks, re-asks, and exactly one {@link CallRecord}
 * whatever ends it — success, failure or cancellation.
 */
final class CallRun<T> {
  private final TaskExecutor executor;
  private final TaskSpec<T> spec;
  private final Invocation<T> inv;
  private final CallPolicy policy;
  private final long startNanos = System.nanoTime();
  private final long deadlineNanos;
  private final CompletableFuture<LlmResult<T>> result = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<Repair> repairs = new ArrayList<>(0);
  private volatile Usage usage = Usage.NONE;
  private volatile CompletableFuture<ModelReply> turn;
  private volatile CallRecord terminal;

  CallRun(TaskExecutor executor, TaskSpec<T> spec, Invocation<T> inv) {
    this.executor = executor;
    this.spec = spec;
    this.inv = inv;
    this.policy = CallPolicy.resolve(spec, inv.options(), executor.settings());
    this.deadlineNanos = startNanos + policy.timeout().toNanos();
  }

  CompletableFuture<LlmResult<T>> start() {
    result.whenComplete((value, failure) -> {
      if (result.isCancelled()) {
        CompletableFuture<ModelReply> inFlight = turn;
        if (inFlight != null) {
          inFlight.cancel(true);
        }
        cancelledRecord();
      }
    });
    if (policy.model() == null) {
      fail(CallStatus.BAD_REQUEST, "no model: declare @LlmTask(model = \"…\") or set LlmRuntime.builder().defaultModel(\"…\")", null);
    } else {
      nextTurn(0);
    }
    return result;
  }

  /** The record of a call its caller cancelled (delivered once, even if asked twice). */
  CallRecord cancelledRecord() {
    finish(CallStatus.CANCELLED, "the caller cancelled the call");
    return terminal;
  }

  private void nextTurn(int round) {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      fail(CallStatus.TIMEOUT, timeoutReason(), null);
      return;
    }
    ModelRequest request = new ModelRequest(spec.name(), policy.model(), inv.systemPrompt(), inv.userPrompt(),
        spec.schema(), repairs, 0, executor.settings().maxOutputTokens());
    CompletableFuture<ModelReply> sent = send(request, remaining);
    turn = sent;
    if (result.isDone()) { // cancelled while this turn was being set up
      sent.cancel(true);
      return;
    }
    sent.whenComplete((reply, failure) -> {
      if (failure != null) {
        onFailure(failure);
      } else {
        onReply(reply, round);
      }
    });
  }

  /** One model turn: attempts with per-attempt timeout and classified retries, inside the remaining deadline. */
  private CompletableFuture<ModelReply> send(ModelRequest request, long remainingNanos) {
    Duration remaining = Duration.ofNanos(remainingNanos);
    Duration attemptLimit = policy.attemptTimeout().compareTo(remaining) < 0 ? policy.attemptTimeout() : remaining;
    Timeout<ModelReply> overall = Timeout.<ModelReply>builder(remaining).withInterrupt().build();
    Timeout<ModelReply> perAttempt = Timeout.<ModelReply>builder(attemptLimit).withInterrupt().build();
    RetryPolicy<ModelReply> retry = RetryPolicy.<ModelReply>builder()
        .handleIf(this::retryable)
        .withMaxRetries(policy.maxRetries())
        .withDelayFn(ctx -> {
          Duration requested = ctx.getLastException() instanceof ProviderException pe ? pe.retryAfter() : null;
          Duration wait = executor.backoff.delay(ctx.getAttemptCount() - 1, requested);
          long left = deadlineNanos - System.nanoTime();
          return wait.toNanos() < left ? wait : Duration.ofNanos(Math.max(0, left));
        })
        .build();
    return Failsafe.with(overall, retry, perAttempt).with(executor.scheduler).getStageAsync(ctx -> {
      attempts.incrementAndGet();
      CompletableFuture<ModelReply> http = executor.settings().provider().send(request.withRetryCount(ctx.getAttemptCount()), attemptLimit);
      // Cancel the exchange on another thread: completing the attempt's stage inside Failsafe's
      // cancel callback stalls the retry that should follow a per-attempt timeout (Failsafe 3.3.2).
      ctx.onCancel(() -> executor.scheduler.execute(() -> http.cancel(true)));
      return http.thenApply(reply -> {
        usage = usage.plus(reply.usage());
        return reply;
      });
    });
  }

  private boolean retryable(Throwable failure) {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0 || result.isDone()) {
      return false;
    }
    Throwable f = unwrap(failure);
    if (f instanceof ProviderException pe) {
      return pe.retryable() && (pe.retryAfter() == null || pe.retryAfter().toNanos() < left);
    }
    return f instanceof TimeoutExceededException;
  }

  private void onFailure(Throwable failure) {
    Throwable f = unwrap(failure);
    if (f instanceof ProviderException pe) {
      fail(pe.status(), pe.getMessage(), pe);
    } else if (f instanceof TimeoutExceededException) {
      fail(CallStatus.TIMEOUT, timeoutReason(), null);
    } else if (f instanceof CancellationException) {
      cancelledRecord();
    } else {
      // A provider must classify its failures; anything else is a provider bug, not worth retrying.
      fail(CallStatus.PROVIDER_ERROR, "unexpected failure: " + f.getClass().getSimpleName(), null);
    }
  }

  private void onReply(ModelReply reply, int round) {
    switch (reply.finish()) {
      case REFUSED -> fail(CallStatus.REFUSED, "the model refused to answer", null);
      case FILTERED -> fail(CallStatus.REFUSED, "the provider's content filter stopped the answer", null);
      case TRUNCATED -> fail(CallStatus.INVALID_OUTPUT,
          "truncated: the answer reached the output token limit (" + executor.settings().maxOutputTokens() + ")", null);
      case COMPLETE -> judge(reply, round);
    }
  }

  private void judge(ModelReply reply, int round) {
    Verdict<T> verdict;
    try {
      verdict = executor.validator.check(reply.output(), spec.decoder(), inv.checks());
    } catch (RuntimeException e) {
      // a @Check method threw: the caller's bug, reported with its exception as the cause
      fail(CallStatus.INVALID_OUTPUT, "a @Check method threw " + e.getClass().getSimpleName(), e);
      return;
    }
    if (verdict.valid()) {
      if (finish(CallStatus.OK, null)) {
        result.complete(new LlmResult<>(verdict.value(), terminal));
      }
    } else if (round >= policy.repairs()) {
      String prefix = round == 0 ? "" : "still invalid after " + round + (round == 1 ? " re-ask: " : " re-asks: ");
      fail(CallStatus.INVALID_OUTPUT, prefix + verdict.reason(), null);
    } else {
      repairs.add(new Repair(reply.output(), verdict.feedback()));
      nextTurn(round + 1);
    }
  }

  private void fail(CallStatus status, String reason, Throwable cause) {
    if (finish(status, reason)) {
      result.completeExceptionally(new LlmTaskException(terminal, cause));
    }
  }

  /** Builds and delivers the one terminal record; false if the call had already ended. */
  private boolean finish(CallStatus status, String reason) {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    terminal = record(status, reason);
    executor.telemetry.deliver(terminal);
    return true;
  }

  private String timeoutReason() {
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

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
