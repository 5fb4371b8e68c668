package dev.llmtask.codegen;

import dev.llmtask.LlmResult;
import dev.llmtask.LlmStream;
import java.util.concurrent.CompletableFuture;

/**
 * The engine that runs a task call for {@link TaskSpec}: the runtime implements it, and
 * {@link TaskRunners} finds the one of an {@link dev.llmtask.LlmRuntime}. Generated code does not
 * call it directly.
 */
public interface TaskRunner {
  /** A blocking call, run on the caller's thread; failures throw {@link dev.llmtask.LlmTaskException}. */
  <T> LlmResult<T> call(TaskSpec<T> spec, Invocation<T> invocation);

  /**
   * An async call. The future fails with {@link dev.llmtask.LlmTaskException}; cancelling it cancels
   * the exchange and records the call {@link dev.llmtask.CallStatus#CANCELLED}.
   */
  <T> CompletableFuture<LlmResult<T>> callAsync(TaskSpec<T> spec, Invocation<T> invocation);

  /** A streamed call; the returned stream is already running. */
  <T> LlmStream<T> stream(TaskSpec<T> spec, Invocation<T> invocation);

  /**
   * Checks that this runtime can serve the task's routes (registered providers that accept its sampling
   * settings).
   *
   * @throws IllegalStateException naming the task, the route and what to change
   */
  void checkRoutes(TaskSpec<?> spec);

  /**
   * What the first model turn of a blocking call would send, resolved from the same policy (model,
   * sampling, output token cap); nothing is sent. For {@link DeferredCalls}.
   *
   * @throws IllegalStateException when the call resolves to no model
   */
  default <T> DeferredCalls.Plan plan(TaskSpec<T> spec, Invocation<T> invocation) {
    throw new UnsupportedOperationException("this task runner cannot render deferred calls");
  }

  /** Checks an answer exactly as a synchronous call does: decode, Bean Validation, {@code @Check}. */
  default <T> DeferredCalls.Checked<T> check(TaskSpec<T> spec, Invocation<T> invocation, String answer) {
    throw new UnsupportedOperationException("this task runner cannot check deferred answers");
  }

  /** Delivers a record of a call made outside the pipeline to the runtime's telemetry sinks. */
  default void deliver(dev.llmtask.CallRecord record) {
    throw new UnsupportedOperationException("this task runner has no telemetry");
  }

  /** The runtime's rate card. */
  default dev.llmtask.RateCard rateCard() {
    return dev.llmtask.RateCard.none();
  }
}
