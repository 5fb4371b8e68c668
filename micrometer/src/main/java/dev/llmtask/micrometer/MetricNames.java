package dev.llmtask.micrometer;

/**
 * Every meter and tag name {@link LlmTaskMetrics} emits, in one place so that a change of the
 * conventions is a change of this file.
 *
 * <p>The {@code gen_ai.*} names are copied from the OpenTelemetry semantic conventions for generative
 * AI, <b>v1.41.1</b> ({@code gen-ai-metrics.md}, status Development), rather than taken from the
 * {@code opentelemetry-semconv-incubating} artifact, which deprecates them since they moved to the
 * {@code semantic-conventions-genai} repository. The {@code llmtask.*} names are llmtask's own.
 * Micrometer writes them with dots; a Prometheus registry turns the dots into underscores and adds
 * the unit ({@code gen_ai_client_operation_duration_seconds_bucket}, {@code llmtask_cost_usd_total}).
 */
public final class MetricNames {
  private MetricNames() {}

  /** The semantic-conventions release the {@code gen_ai.*} names follow. */
  public static final String SEMCONV_VERSION = "1.41.1";

  // ---- meters of the GenAI conventions, one sample per provider attempt ----

  /** Timer, seconds: one provider attempt (one HTTP exchange), whatever its outcome. */
  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  /** Distribution summary, tokens: the input and the output tokens of one attempt, by {@link #TOKEN_TYPE}. */
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";

  // ---- llmtask's meters, one sample per task call unless said otherwise ----

  /** Timer, seconds: one task call, all its attempts, waits and re-asks included. */
  public static final String CALL_DURATION = "llmtask.call.duration";
  /** Distribution summary: the provider attempts one call made. */
  public static final String CALL_ATTEMPTS = "llmtask.call.attempts";
  /** Counter, USD: the estimated cost of the calls, from the runtime's rate card. */
  public static final String COST = "llmtask.cost";
  /** Counter: calls whose model the rate card has no price for (their cost is unknown, not zero). */
  public static final String CALLS_UNPRICED = "llmtask.calls.unpriced";
  /** Counter, tokens: input tokens read from the provider's prompt cache. */
  public static final String CACHE_READ_TOKENS = "llmtask.tokens.cache_read";
  /** Counter: attempts that repeated a failed attempt on the same route. */
  public static final String RETRIES = "llmtask.retries";
  /** Counter: attempts that re-asked the model after its answer failed the checks. */
  public static final String REASKS = "llmtask.reasks";
  /** Counter: attempts sent to a route (provider or model) other than the one before. */
  public static final String FALLBACKS = "llmtask.fallbacks";
  /** Counter: calls a response cache looked up, by {@link #CACHE_RESULT}. */
  public static final String CACHE_REQUESTS = "llmtask.cache.requests";
  /** Counter, USD: the cost that answers from a response cache saved. */
  public static final String CACHE_SAVED_COST = "llmtask.cache.saved_cost";
  /** Counter: calls refused because a budget would be exceeded ({@code BUDGET_EXCEEDED}). */
  public static final String BUDGET_REFUSALS = "llmtask.budget.refusals";
  /** Timer, seconds: how long a call waited for a client-side rate limit. */
  public static final String RATE_LIMIT_WAIT = "llmtask.ratelimit.wait";
  /** Timer, seconds: from the start of a streamed call to the first delta its caller received. */
  public static final String TIME_TO_FIRST_DELTA = "llmtask.stream.time_to_first_delta";
  /** Gauge: calls running now, by task. */
  public static final String CALLS_ACTIVE = "llmtask.calls.active";

  // ---- tags ----

  /** Tag of the GenAI conventions: always {@value #OPERATION_CHAT}. */
  public static final String OPERATION_NAME = "gen_ai.operation.name";
  /** The operation llmtask performs: a chat completion (OpenAI) or a message (Anthropic). */
  public static final String OPERATION_CHAT = "chat";
  /** Tag of the GenAI conventions: the provider's name as registered with the runtime, e.g. {@code openai}. */
  public static final String PROVIDER_NAME = "gen_ai.provider.name";
  /** Tag of the GenAI conventions: the model asked. */
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  /** Tag of the GenAI conventions: {@code input} or {@code output}. */
  public static final String TOKEN_TYPE = "gen_ai.token.type";
  /** Tag: the task name, e.g. {@code decide_rotation}. */
  public static final String TASK = "llmtask.task";
  /** Tag: how the call (or the attempt) ended, in lower snake case: {@code ok}, {@code rate_limited}, …. */
  public static final String STATUS = "llmtask.status";
  /** Tag: {@code hit}, {@code miss}, {@code stored}, {@code bypassed}, or {@code other} for any other value. */
  public static final String CACHE_RESULT = "llmtask.cache.result";

  // ---- the CallRecord attributes read ----

  /** The record attribute a response cache sets: {@code hit}, {@code miss}, {@code stored} or {@code bypassed}. */
  public static final String ATTRIBUTE_CACHE = "cache";
  /** The record attribute holding the USD a cache hit saved, as a decimal, e.g. {@code 0.00098}. */
  public static final String ATTRIBUTE_CACHE_SAVED_USD = "cache_saved_usd";
  /** The record attribute holding the milliseconds a call waited for a client-side rate limit. */
  public static final String ATTRIBUTE_RATE_LIMIT_WAIT_MS = "ratelimit_wait_ms";
}
