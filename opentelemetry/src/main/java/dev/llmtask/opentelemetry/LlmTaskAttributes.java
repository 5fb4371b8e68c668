package dev.llmtask.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * llmtask's own span attributes and span events, and the two {@link dev.llmtask.CallRecord}
 * attributes that join a record to its trace. None of them holds a prompt, an answer, a failure
 * reason or a secret.
 */
public final class LlmTaskAttributes {
  private LlmTaskAttributes() {}

  // ---- on the call span ----

  /** The task name, e.g. {@code decide_rotation} (call and attempt spans). */
  public static final AttributeKey<String> TASK = AttributeKey.stringKey("llmtask.task");
  /** The declared prompt version, e.g. {@code rotation_decision@2}. */
  public static final AttributeKey<String> PROMPT_VERSION = AttributeKey.stringKey("llmtask.prompt.version");
  /** The record's trace id ({@link dev.llmtask.CallRecord#traceId()}): search spans by it to find a record's trace. */
  public static final AttributeKey<String> TRACE_ID = AttributeKey.stringKey("llmtask.trace_id");
  /** How the caller waited: {@code blocking}, {@code async} or {@code stream}. */
  public static final AttributeKey<String> MODE = AttributeKey.stringKey("llmtask.mode");
  /** How the call ended, in lower snake case: {@code ok}, {@code invalid_output}, …. */
  public static final AttributeKey<String> STATUS = AttributeKey.stringKey("llmtask.status");
  /** The provider attempts the call made, retries and re-asks included. */
  public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("llmtask.attempts");
  /** The provider that answered (the last attempt's). */
  public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("llmtask.provider");
  /** The model that answered (the last attempt's), the one priced. */
  public static final AttributeKey<String> MODEL = AttributeKey.stringKey("llmtask.model");
  /** The call's estimated cost in USD, from the rate card; absent when the model has no price. */
  public static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("llmtask.cost_usd");
  /** Input tokens over all attempts (on the call span, so backends that sum {@code gen_ai.usage.*} count each token once). */
  public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("llmtask.usage.input_tokens");
  /** Output tokens over all attempts. */
  public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("llmtask.usage.output_tokens");
  /** Input tokens read from the provider's prompt cache over all attempts. */
  public static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS =
      AttributeKey.longKey("llmtask.usage.cache_read.input_tokens");
  /** {@code true} when the tokens are the runtime's estimate (a stream cut before usage arrived); set only then. */
  public static final AttributeKey<Boolean> USAGE_ESTIMATED = AttributeKey.booleanKey("llmtask.usage.estimated");
  /** The response cache's verdict, from the record attribute {@code cache}: {@code hit}, {@code miss}, …. */
  public static final AttributeKey<String> CACHE_STATUS = AttributeKey.stringKey("llmtask.cache.status");
  /** Milliseconds from the start of a streamed call to the first delta its caller received. */
  public static final AttributeKey<Long> FIRST_DELTA_MS = AttributeKey.longKey("llmtask.stream.first_delta_ms");

  // ---- on the attempt spans (and the events) ----

  /** The attempt's number in the call, from 1, retries and re-asks included. */
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("llmtask.attempt");
  /** Retries of the same request before this attempt (0 on the first). */
  public static final AttributeKey<Long> RETRY = AttributeKey.longKey("llmtask.retry");
  /** Re-asks before this attempt: earlier answers the checks rejected. */
  public static final AttributeKey<Long> REASK = AttributeKey.longKey("llmtask.reask");
  /** Which route of the call this attempt went to: 0 for the first, 1 for the first fallback, …. */
  public static final AttributeKey<Long> FALLBACK_INDEX = AttributeKey.longKey("llmtask.fallback.index");
  /** The provider's request id of the attempt, for a support ticket. */
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("llmtask.request_id");
  /** On an event: how the attempt before it ended ({@code rate_limited}, {@code ok} for a rejected answer, …). */
  public static final AttributeKey<String> PREVIOUS_OUTCOME = AttributeKey.stringKey("llmtask.previous_outcome");

  /** Event on the call span: an attempt repeated a failed one on the same route. */
  public static final String EVENT_RETRY = "llmtask.retry";
  /** Event on the call span: an attempt re-asked the model after the checks rejected its answer. */
  public static final String EVENT_REASK = "llmtask.reask";
  /** Event on the call span: an attempt went to another route (provider or model) than the one before. */
  public static final String EVENT_FALLBACK = "llmtask.fallback";

  // ---- on the CallRecord ----

  /** The record attribute holding the call span's trace id, 32 hex chars: the trace of this record. */
  public static final String RECORD_OTEL_TRACE_ID = "otel_trace_id";
  /** The record attribute holding the call span's span id, 16 hex chars. */
  public static final String RECORD_OTEL_SPAN_ID = "otel_span_id";
  /** The record attribute a response cache sets ({@code hit}, {@code miss}, …), read into {@link #CACHE_STATUS}. */
  public static final String RECORD_CACHE = "cache";
}
