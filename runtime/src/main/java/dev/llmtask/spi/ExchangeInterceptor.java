package dev.llmtask.spi;

import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A link around one provider attempt: it runs once per HTTP exchange, for every retry and every
 * re-ask, in blocking, async and streamed calls alike. It may change the request (add a header
 * with {@link ModelRequest#withHeader}), wait ({@link Chain#delay}), fail the attempt with a
 * {@link dev.llmtask.provider.ProviderException} (which the retry policy then classifies), or answer
 * in place of the provider. In a streamed call the reply completes when the stream has ended.
 *
 * <p>An interceptor must not block and should proceed at most once per attempt. A failed stage
 * other than a {@code ProviderException}, or a thrown exception, ends the call
 * {@link dev.llmtask.CallStatus#PROVIDER_ERROR}, naming the interceptor's class.
 */
@FunctionalInterface
public interface ExchangeInterceptor {

  /** Handles one attempt; completes with the provider's reply. */
  CompletionStage<ModelReply> intercept(Chain chain);

  /** What an exchange interceptor sees and how it passes the attempt on. */
  interface Chain {
    /** The call this attempt belongs to, with the route it goes to. */
    TaskCall call();

    /** The request of this attempt (retry count, re-asks so far, headers). */
    ModelRequest request();

    /** This attempt's number, from 1, counted over the whole call (retries and re-asks included). */
    int attempt();

    /** The most this attempt may take: the configured attempt timeout, never past the deadline. */
    Duration timeout();

    /** The call's one deadline. */
    Deadline deadline();

    /** Attributes of the call, copied into {@link dev.llmtask.CallRecord#attributes()}. */
    CallAttributes attributes();

    /** Completes after {@code wait}, or when the call ends first; never holds a thread in async and streamed calls. */
    CompletionStage<Void> delay(Duration wait);

    /** Sends {@code request} on through the chain to the provider. */
    CompletionStage<ModelReply> proceed(ModelRequest request);
  }
}
