package dev.llmtask.provider;

import java.util.Objects;

/**
 * A model's answer to one request.
 *
 * @param output the answer's JSON text, or {@code null} when there is none (refusal)
 * @param finish why generation stopped
 * @param refusal the refusal text when {@code finish} is {@link Finish#REFUSED}; never logged
 * @param usage token usage of this attempt
 * @param requestId the provider's request id, or {@code null}
 * @param responseId the id of the provider's response ({@code chatcmpl-…}, {@code msg_…}), or {@code null}
 * @param responseModel the model that answered, as the provider reported it, or {@code null}
 * @param rateLimits what the response's headers said about the provider's rate limits, or {@code null}
 */
public record ModelReply(String output, Finish finish, String refusal, Usage usage, String requestId,
    String responseId, String responseModel, RateLimitHeaders rateLimits) {

  public ModelReply {
    Objects.requireNonNull(finish, "finish");
    Objects.requireNonNull(usage, "usage");
  }

  /** A reply without rate-limit headers. */
  public ModelReply(String output, Finish finish, String refusal, Usage usage, String requestId,
      String responseId, String responseModel) {
    this(output, finish, refusal, usage, requestId, responseId, responseModel, null);
  }

  /** This reply with the response's rate-limit headers. */
  public ModelReply withRateLimits(RateLimitHeaders headers) {
    return new ModelReply(output, finish, refusal, usage, requestId, responseId, responseModel, headers);
  }

  /** A reply without the response's id and model. */
  public ModelReply(String output, Finish finish, String refusal, Usage usage, String requestId) {
    this(output, finish, refusal, usage, requestId, null, null, null);
  }

  /** Why the model stopped generating. */
  public enum Finish {
    /** A complete answer. */
    COMPLETE,
    /** Cut at the output token limit ({@code length}, {@code max_tokens}). */
    TRUNCATED,
    /** The model refused. */
    REFUSED,
    /** The provider's content filter stopped it. */
    FILTERED
  }

  /**
   * Token usage.
   *
   * @param inputTokens input tokens, cache reads and writes included
   * @param outputTokens output tokens
   * @param cachedInputTokens input tokens read from the prompt cache
   * @param cacheWriteTokens input tokens written to the prompt cache (Anthropic
   *     {@code cache_creation_input_tokens}, OpenAI {@code prompt_tokens_details.cache_write_tokens})
   */
  public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);

    /** Usage without prompt-cache writes. */
    public Usage(long inputTokens, long outputTokens, long cachedInputTokens) {
      this(inputTokens, outputTokens, cachedInputTokens, 0);
    }

    public Usage plus(Usage other) {
      return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
          cachedInputTokens + other.cachedInputTokens, cacheWriteTokens + other.cacheWriteTokens);
    }
  }
}
