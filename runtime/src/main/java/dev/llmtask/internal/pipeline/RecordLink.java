package dev.llmtask.internal.pipeline;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmTaskException;
import dev.llmtask.RateCard;
import dev.llmtask.provider.ModelReply.Usage;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spi.Outcome;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The outermost link: starts the call's deadline and ends the call exactly once, with exactly one
 * {@link CallRecord} delivered to telemetry, whatever ends it first: the outcome the chain returns,
 * the deadline, or the caller cancelling. No other link can end a call, so none can break that rule.
 */
final class RecordLink implements CallInterceptor {
  private final RateCard rateCard;
  private final Fingerprints fingerprints;
  private final TelemetryDispatcher telemetry;

  RecordLink(RateCard rateCard, Fingerprints fingerprints, TelemetryDispatcher telemetry) {
    this.rateCard = rateCard;
    this.fingerprints = fingerprints;
    this.telemetry = telemetry;
  }

  @Override
  public CompletionStage<Outcome> intercept(Chain chain) {
    CallState<?> state = ((CallChain) chain).state;
    state.pipeline.ticker.watch(state);
    CompletableFuture<Outcome> outcome = ((CallChain) chain).proceedInternal(chain.call());
    if (outcome.isDone()) {
      settle(state, outcome.join());
    } else {
      outcome.thenAccept(o -> settle(state, o));
    }
    return outcome;
  }

  private static void settle(CallState<?> state, Outcome outcome) {
    if (outcome instanceof Outcome.Answered a) {
      state.succeed(a.value());
    } else {
      Outcome.Failed f = (Outcome.Failed) outcome;
      state.fail(f.status(), f.reason(), f.cause());
    }
  }

  /** Ends the call: builds and delivers its one record, then completes its result; false if it had already ended. */
  @SuppressWarnings("unchecked")
  <T> boolean end(CallState<T> state, CallStatus status, String reason, Throwable cause, Object value) {
    if (!state.finished.compareAndSet(false, true)) {
      return false;
    }
    state.pipeline.ticker.forget(state);
    CallRecord record = record(state, status, reason);
    state.terminal = record;
    telemetry.deliver(record);
    if (status != CallStatus.OK) {
      state.interruptOwnerIfBlocked();
      state.runEarlyEndActions();
    }
    LlmResult<T> ok = status == CallStatus.OK ? new LlmResult<>((T) value, record) : null;
    LlmTaskException failed = ok != null ? null : new LlmTaskException(record, status == CallStatus.CANCELLED ? null : cause);
    if (state.front != null) { // the terminal event comes before anyone waiting on the result wakes
      state.front.ended(status, ok, failed);
    }
    if (ok != null) {
      state.result.complete(ok);
    } else {
      state.result.completeExceptionally(failed);
    }
    return true;
  }

  private CallRecord record(CallState<?> state, CallStatus status, String reason) {
    long latencyMs = (System.nanoTime() - state.startNanos) / 1_000_000;
    Usage reported = state.usage();
    Usage estimate = state.front == null ? null : state.front.estimatedUsage(status, reported);
    Usage u = estimate != null ? estimate : reported;
    CallState.AttemptEntry last = state.lastAttempt();
    String provider = last != null ? last.provider : state.call.provider();
    String model = last != null ? last.model : state.call.model();
    if (u.cacheWriteTokens() > 0) {
      state.attributes().put(CallRecord.PROMPT_CACHE_WRITE_TOKENS, Long.toString(u.cacheWriteTokens()));
    }
    BigDecimal cost = rateCard.cost(model, u.inputTokens(), u.cachedInputTokens(), u.cacheWriteTokens(), u.outputTokens());
    List<CallRecord.Attempt> attempts = state.attemptRecords(status, rateCard, estimate == null ? cost : null);
    if (estimate == null && servedByMoreThanOneModel(attempts)) {
      cost = sum(attempts);
    }
    return new CallRecord(state.call.traceId(), state.spec.name(), provider, model, state.spec.promptVersion(),
        status, state.attempts.get(), latencyMs, u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), cost,
        reason, fingerprints == null ? null : fingerprints.of(state.inv.userPrompt()), state.inv.idempotencyKey(),
        estimate != null, state.lastRequestId(), attempts, state.attributeSnapshot(), state.toolCallRecords());
  }

  private static boolean servedByMoreThanOneModel(List<CallRecord.Attempt> attempts) {
    for (int i = 1; i < attempts.size(); i++) {
      if (!Objects.equals(attempts.get(i).model(), attempts.get(0).model())) {
        return true;
      }
    }
    return false;
  }

  /** A call that fell back to another model: each attempt priced on its own; unknown if any priced attempt is. */
  private static BigDecimal sum(List<CallRecord.Attempt> attempts) {
    BigDecimal total = BigDecimal.ZERO;
    for (CallRecord.Attempt a : attempts) {
      if (a.costUsd() == null) {
        return null;
      }
      total = total.add(a.costUsd());
    }
    return total.stripTrailingZeros();
  }
}
