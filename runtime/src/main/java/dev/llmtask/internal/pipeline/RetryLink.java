package dev.llmtask.internal.pipeline;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ProviderException;
import dev.llmtask.spi.ExchangeInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The outermost exchange link: classified retries with full-jitter backoff (or the provider's
 * retry-after), never past the deadline, by Failsafe. Each proceed is one attempt through the exchange
 * interceptors to the provider. A blocking call retries and sleeps on the caller's thread; an async
 * or streamed one holds no thread between attempts. A stream is retried only before it opened.
 */
final class RetryLink implements ExchangeInterceptor {
  /** Blocking calls with a retry cap up to this share one policy per cap; the others build theirs per call. */
  private static final int SHARED_CAPS = 8;
  /**
   * The blocking call whose retries this thread runs. Failsafe runs a blocking execution, its retry
   * predicate and delay function included, on the calling thread: so a policy shared by every
   * blocking call finds its call here, and a call builds no policy of its own (a kilobyte of garbage).
   */
  private static final ThreadLocal<CallState<?>> BLOCKING_CALL = new ThreadLocal<>();

  private final Backoff backoff;
  private final List<FailsafeExecutor<ModelReply>> blockingRetries = new ArrayList<>(SHARED_CAPS + 1);

  RetryLink(Backoff backoff) {
    this.backoff = backoff;
    for (int cap = 0; cap <= SHARED_CAPS; cap++) {
      blockingRetries.add(Failsafe.with(policy(cap, BLOCKING_CALL::get)));
    }
  }

  private RetryPolicy<ModelReply> policy(int maxRetries, Supplier<CallState<?>> call) {
    return RetryPolicy.<ModelReply>builder()
        .handleIf(failure -> retryable(call.get(), failure))
        .withMaxRetries(maxRetries)
        .withDelayFn(ctx -> {
          Duration requested = Pipeline.unwrap(ctx.getLastException()) instanceof ProviderException pe ? pe.retryAfter() : null;
          Duration wait = backoff.delay(ctx.getAttemptCount() - 1, requested);
          long left = call.get().remainingNanos();
          return wait.toNanos() < left ? wait : Duration.ofNanos(Math.max(0, left));
        })
        .build();
  }

  @Override
  public CompletionStage<ModelReply> intercept(Chain chain) {
    ExchangeChain c = (ExchangeChain) chain;
    CallState<?> state = c.state;
    int cap = state.policy.maxRetries();
    if (state.onOwnerThread()) {
      return blocking(c, cap <= SHARED_CAPS ? blockingRetries.get(cap) : Failsafe.with(policy(cap, BLOCKING_CALL::get)));
    }
    RetryPolicy<ModelReply> retry = policy(cap, () -> state);
    CompletableFuture<ModelReply> attempts = Failsafe.with(retry).with(state.pipeline.failsafeScheduler).getStageAsync(ctx -> {
      if (state.ended()) { // the deadline passed during the backoff
        throw new CancellationException("the call has ended");
      }
      return c.proceedInternal(c.request().withRetryCount(ctx.getAttemptCount()));
    });
    state.onEarlyEnd(() -> attempts.cancel(true)); // drops a retry waiting for its backoff
    return attempts;
  }

  private static CompletionStage<ModelReply> blocking(ExchangeChain c, FailsafeExecutor<ModelReply> retries) {
    CallState<?> state = c.state;
    CallState<?> outer = BLOCKING_CALL.get(); // a link may run a blocking call of its own inside an attempt
    BLOCKING_CALL.set(state);
    try {
      return CompletableFuture.completedFuture(retries.get(ctx -> {
        if (state.ended()) {
          throw new CancellationException("the call has ended");
        }
        return await(c.proceedInternal(c.request().withRetryCount(ctx.getAttemptCount())));
      }));
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException) { // in the backoff sleep
        state.interruptedWhileBlocked();
        return CompletableFuture.failedFuture(new CancellationException("interrupted"));
      }
      return CompletableFuture.failedFuture(e.getCause() == null ? e : e.getCause());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      BLOCKING_CALL.set(outer);
    }
  }

  /** The attempt's reply; an exchange link that went asynchronous in a blocking call is waited for here. */
  private static ModelReply await(CompletableFuture<ModelReply> attempt) throws Throwable {
    try {
      return attempt.get();
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  private static boolean retryable(CallState<?> state, Throwable failure) {
    long left = state.remainingNanos();
    if (left <= 0 || state.ended() || state.streamOpened) {
      return false;
    }
    Throwable f = Pipeline.unwrap(failure);
    // a wait the provider demands that would pass the deadline ends the call now, with its status
    return f instanceof ProviderException pe && pe.retryable()
        && (pe.retryAfter() == null || pe.retryAfter().toNanos() < left);
  }
}
