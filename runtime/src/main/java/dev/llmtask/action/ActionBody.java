package dev.llmtask.action;

/**
 * The side effect an {@link IdempotentActions} runs once per key, e.g. creating a job. Once means:
 * never twice concurrently, never again after its result is stored. It can run a second time in
 * one window: when its process dies (or its store fails) after the side effect and before the
 * result is stored, the next call after the lease runs it again. Use a {@link ResumableActionBody}
 * to close that window with checkpoints and a fencing token.
 *
 * @param <R> its result, stored as JSON and returned to later calls with the same key
 */
@FunctionalInterface
public interface ActionBody<R> {
  R run() throws Exception;
}
