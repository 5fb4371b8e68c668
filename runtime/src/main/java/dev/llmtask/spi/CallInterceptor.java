package dev.llmtask.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A link around one whole task call: it runs once per call, around every retry and re-ask, in
 * blocking, async and streamed calls alike. It may look at the call and proceed, change the route
 * ({@code chain.proceed(chain.call().withModel("…"))}), proceed more than once (a fallback), or
 * short-circuit with an {@link Outcome} of its own (a cache hit, a budget refusal). Whatever it does,
 * the call still ends with exactly one {@link dev.llmtask.CallRecord}: the link that records it is
 * outside every interceptor.
 *
 * <p>An interceptor must not block: to wait, compose on {@link Chain#delay(Duration)}. A failed
 * stage or a thrown exception ends the call {@link dev.llmtask.CallStatus#PROVIDER_ERROR}, naming the
 * interceptor's class; to end it with another status, return {@link Outcome#failed}.
 */
@FunctionalInterface
public interface CallInterceptor {

  /** Handles the call; completes with how it ended. */
  CompletionStage<Outcome> intercept(Chain chain);

  /** What a call interceptor sees and how it passes the call on. */
  interface Chain {
    /** The call's contract: task, prompt version, route, trace id, metadata, mode. */
    TaskCall call();

    /** The call's one deadline, shared by every link and attempt. */
    Deadline deadline();

    /** Attributes of this call, copied into {@link dev.llmtask.CallRecord#attributes()}. */
    CallAttributes attributes();

    /**
     * Completes after {@code wait}, or when the call ends first. In a blocking call it sleeps on the
     * caller's thread (so no thread hand-off); in async and streamed calls it holds no thread.
     */
    CompletionStage<Void> delay(Duration wait);

    /** Runs the rest of the chain for {@code call}; may be called more than once. */
    CompletionStage<Outcome> proceed(TaskCall call);
  }
}
