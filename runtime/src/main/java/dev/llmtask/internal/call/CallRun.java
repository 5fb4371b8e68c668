package dev.llmtask.internal.call;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.internal.output.OutputValidator.Verdict;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import dev.llmtask.provider.ModelRequest.Repair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One plain (non-streamed) task call: model turns with classified retries inside the deadline,
 * answer checks, and re-asks with the violations until the answer is valid or the re-asks run out.
 */
final class CallRun<T> extends CallLifecycle<T> {
  private final List<Repair> repairs = new ArrayList<>(0);
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
      nextTurn(0);
    }
    return result;
  }

  @Override
  void onTerminal(CallStatus status) {
    CompletableFuture<ModelReply> inFlight = turn;
    if (status == CallStatus.CANCELLED && inFlight != null) {
      inFlight.cancel(true);
    }
  }

  private void nextTurn(int round) {
    long remaining = remainingNanos();
    if (remaining <= 0) {
      fail(CallStatus.TIMEOUT, timeoutReason(), null);
      return;
    }
    ModelRequest request = new ModelRequest(spec.name(), policy.model(), inv.systemPrompt(), inv.userPrompt(),
        spec.schema(), repairs, 0, executor.settings().maxOutputTokens());
    CompletableFuture<ModelReply> sent = this.<ModelReply>turnPolicies(remaining).getStageAsync(ctx -> {
      attempts.incrementAndGet();
      CompletableFuture<ModelReply> http = executor.settings().provider()
          .send(request.withRetryCount(ctx.getAttemptCount()), attemptLimit(remainingNanos()));
      // Cancel the exchange on another thread: completing the attempt's stage inside Failsafe's
      // cancel callback stalls the retry that should follow a per-attempt timeout (Failsafe 3.3.2).
      ctx.onCancel(() -> executor.scheduler.execute(() -> http.cancel(true)));
      return http.thenApply(reply -> {
        addUsage(reply.usage());
        return reply;
      });
    });
    turn = sent;
    if (ended()) { // cancelled while this turn was being set up
      sent.cancel(true);
      return;
    }
    sent.whenComplete((reply, failure) -> {
      if (failure != null) {
        failWith(failure);
      } else if (!failIfUnfinished(reply)) {
        judge(reply, round);
      }
    });
  }

  private void judge(ModelReply reply, int round) {
    Verdict<T> verdict = verdictOn(reply);
    if (verdict == null) {
      return;
    }
    if (verdict.valid()) {
      succeed(verdict.value());
    } else if (round >= policy.repairs()) {
      String prefix = round == 0 ? "" : "still invalid after " + round + (round == 1 ? " re-ask: " : " re-asks: ");
      fail(CallStatus.INVALID_OUTPUT, prefix + verdict.reason(), null);
    } else {
      repairs.add(new Repair(reply.output(), verdict.feedback()));
      nextTurn(round + 1);
    }
  }
}
