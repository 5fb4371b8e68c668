package dev.llmtask.internal.call;

import dev.failsafe.FailsafeException;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ProviderException;

/**
 * One synchronous task call, run on the caller's thread with blocking exchanges
 * ({@code HttpClient.send}), the fastest path the JDK offers: no hand-off between threads per call.
 * The same policies apply as to an async call; at the deadline the ticker ends the call and
 * interrupts the thread only while it is blocked in an exchange or a backoff, and the interrupt is
 * cleared before the call returns. An interrupt from anyone else cancels the call and is kept.
 */
final class SyncCall<T> extends CallLifecycle<T> {
  private final Thread owner = Thread.currentThread();
  private boolean blocked; // guarded by this
  private boolean interruptedHere; // guarded by this

  SyncCall(TaskExecutor executor, TaskSpec<T> spec, Invocation<T> inv) {
    super(executor, spec, inv);
  }

  LlmResult<T> run() {
    if (policy.model() == null) {
      fail(CallStatus.BAD_REQUEST, NO_MODEL, null);
    } else {
      startDeadline();
      try {
        for (int round = 0; !ended(); round++) {
          ModelReply reply = turn();
          if (reply == null || !reaskAfter(reply, round)) {
            break;
          }
        }
      } finally {
        synchronized (this) {
          if (interruptedHere) {
            Thread.interrupted(); // ours, not the caller's: do not leak it
          }
        }
      }
    }
    return awaitResult(); // already complete here
  }

  /** One model turn with its retries; null when the call ended instead. */
  private ModelReply turn() {
    ModelRequest request = nextRequest();
    try {
      return this.<ModelReply>turnPolicies().get(ctx -> {
        if (ended()) { // the deadline passed during the backoff
          throw new java.util.concurrent.CancellationException("the call has ended");
        }
        attempts.incrementAndGet();
        block(true);
        try {
          ModelReply reply = executor.settings().provider()
              .call(request.withRetryCount(ctx.getAttemptCount()), attemptLimit(remainingNanos()));
          addUsage(reply.usage());
          return reply;
        } finally {
          block(false);
        }
      });
    } catch (ProviderException e) {
      failWith(e);
    } catch (FailsafeException e) {
      if (e.getCause() instanceof InterruptedException) {
        if (!ended()) { // not the deadline: the caller's thread was interrupted
          cancelled();
          Thread.currentThread().interrupt();
        }
      } else {
        failWith(e.getCause() == null ? e : e.getCause());
      }
    } catch (RuntimeException e) {
      failWith(e);
    }
    return null;
  }

  private synchronized void block(boolean entering) {
    blocked = entering;
  }

  @Override
  synchronized void onTerminal(CallStatus status) {
    if (status != CallStatus.OK && blocked && Thread.currentThread() != owner) {
      interruptedHere = true;
      owner.interrupt(); // cancels the blocking exchange (or the backoff sleep)
    }
  }
}
