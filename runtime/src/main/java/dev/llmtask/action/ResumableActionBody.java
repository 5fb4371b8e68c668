package dev.llmtask.action;

/**
 * An {@link ActionBody} that is told about its run ({@link ActionContext}): whether it takes over
 * the claim of a run that stored no outcome, its attempt number and fencing token, and the last
 * checkpoint. Use it when the side effect must not happen twice even across a crash between the
 * side effect and the stored result.
 *
 * @param <R> its result, stored as JSON and returned to later calls with the same key
 */
@FunctionalInterface
public interface ResumableActionBody<R> {
  R run(ActionContext context) throws Exception;
}
