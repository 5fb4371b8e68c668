package dev.llmtask.internal.call;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import java.util.concurrent.CompletableFuture;

/**
 * One asynchronous task call: model turns with classified retries inside the deadline, answer
 * checks, and re-asks with the violations until the answer is valid or the re-asks run out. No
 * thread waits on the network; cancelling the result cancels the exchange in flight.
 */
final class CallRun<T> extends CallLifecycle<T> {
  private volatile CompletableFuture<ModelReply> turn;

  CallRun(TaskExecutor executor, TaskSpec<T> spec, Invocation<T> inv) {
    super(executor, spec, inv);
  }

  CompletableFuture<LlmResult<T>> start() {
    result.whenComplete((value, failure) -> {
      if (result.isCancelled()) {
        cancelled();
      }
    });
    if (policy.model() == null) {
      fail(CallStatus.BAD_REQUEST, NO_MODEL, null);
    } else {
      startDeadline();
      nextTurn(0);
    }
    return result;
  }

  @Override
  void onTerminal(CallStatus status) {
    CompletableFuture<ModelReply> inFlight = turn;
    if (status != CallStatus.OK && inFlight != null) {
      inFlight.cancel(true);
    }
  }

  private void nextTurn(int round) {
    ModelRequest request = nextRequest();
    CompletableFuture<ModelReply> sent = this.<ModelReply>turnPolicies().getStageAsync(ctx -> {
      attempts.incrementAndGet();
      CompletableFuture<ModelReply> http = executor.settings().provider()
          .send(request.withRetryCount(ctx.getAttemptCount()), attemptLimit(remainingNanos()));
      ctx.onCancel(() -> http.cancel(true));
      return http.thenApply(reply -> {
        addUsage(reply.usage());
        return reply;
      });
    });
    turn = sent;
    if (ended()) { // ended (deadline, cancel) while this turn was being set up
      sent.cancel(true);
      return;
    }
    sent.whenComplete((reply, failure) -> {
      if (failure != null) {
        failWith(failure);
      } else if (reaskAfter(reply, round)) {
        nextTurn(round + 1);
      }
    });
  }
}
