package dev.llmtask.action;

/**
 * The side effect an {@link IdempotentActions} runs at most once per key, e.g. creating a job.
 *
 * @param <R> its result, stored as JSON and returned to later calls with the same key
 */
@FunctionalInterface
public interface ActionBody<R> {
  R run() throws Exception;
}
