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
}
