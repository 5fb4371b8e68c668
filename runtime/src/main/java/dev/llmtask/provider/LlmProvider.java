package dev.llmtask.provider;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One model provider's wire protocol: turns a {@link ModelRequest} into an HTTP exchange and its
 * answer into a {@link ModelReply}. Providers do no retrying, no validation and no telemetry: the
 * runtime owns those.
 *
 * <p>Built-in: {@link dev.llmtask.provider.openai.OpenAiProvider} (OpenAI Chat Completions and
 * compatible servers).
 */
public interface LlmProvider {

  /** Short name recorded in telemetry, e.g. {@code openai}. */
  String name();

  /**
   * Sends one attempt. The future completes with the reply or fails with a {@link ProviderException}
   * that classifies the failure. Cancelling the future cancels the HTTP exchange.
   *
   * @param attemptTimeout the most this attempt may take; the provider applies it to the exchange
   */
  CompletableFuture<ModelReply> send(ModelRequest request, Duration attemptTimeout);
}
