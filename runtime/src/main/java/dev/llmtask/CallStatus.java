package dev.llmtask;

/** How a call to a model ended. Every call ends in exactly one of these, recorded in its {@link CallRecord}. */
public enum CallStatus {
  /** A valid answer was returned. */
  OK,
  /** The call's deadline passed (or every attempt timed out). Never a hang. */
  TIMEOUT,
  /** The provider kept answering 429 (rate limit) until the retry budget ran out. */
  RATE_LIMITED,
  /** The account's quota, billing or spend limit is exhausted. Not retried: retrying cannot help. */
  QUOTA_EXHAUSTED,
  /** The provider refused the credentials (401, 403). Not retried. */
  AUTH_ERROR,
  /** The provider rejected the request (400, 404, 413, 422). Not retried: fix the request. */
  BAD_REQUEST,
  /**
   * The prompt does not fit the model's context window (OpenAI {@code context_length_exceeded}, Anthropic
   * "prompt is too long"), or, before any request, fits no route's known window. Not retried; a fallback
   * moves to a route with a larger context.
   */
  CONTEXT_TOO_LONG,
  /** The provider failed (5xx until the retry budget ran out, a dropped connection, an unreadable body, or anything unclassified). */
  PROVIDER_ERROR,
  /** The answer stayed invalid (schema, Bean Validation, a {@link Check}, or truncated) after every re-ask. */
  INVALID_OUTPUT,
  /** The model refused to answer. */
  REFUSED,
  /** The caller cancelled the call. */
  CANCELLED,
  /** A configured budget (tokens, cost) would be exceeded. */
  BUDGET_EXCEEDED;

  /** The status in lower snake case, as written in telemetry: {@code ok}, {@code invalid_output}, …. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
