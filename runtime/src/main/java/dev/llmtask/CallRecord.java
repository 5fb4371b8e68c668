package dev.llmtask;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The telemetry record of one task call, delivered to every {@link TelemetrySink} exactly once,
 * on success and on every failure. It never holds a prompt, a model answer or a secret.
 *
 * @param traceId the caller's trace id ({@link TraceId}) or a generated one
 * @param task the task name, e.g. {@code decide_rotation}
 * @param provider the provider that answered (the last attempt's), e.g. {@code openai}
 * @param model the model that answered (the last attempt's)
 * @param promptVersion the declared prompt version, e.g. {@code rotation_decision@2}
 * @param status how the call ended
 * @param attempts HTTP requests made to the provider, retries and re-asks included
 * @param latencyMs wall-clock time of the whole call
 * @param inputTokens input tokens over all attempts, as reported by the provider
 * @param outputTokens output tokens over all attempts
 * @param cachedInputTokens input tokens read from the provider's prompt cache (part of {@code inputTokens},
 *     priced at the rate card's cached-input rate)
 * @param costUsd estimated cost from the runtime's rate card, each attempt priced on the model that
 *     served it; {@code null} (unknown, not zero) when the card has no price for a model that used tokens
 * @param failureReason why the call failed, without customer text; {@code null} when {@link CallStatus#OK}
 * @param inputFingerprint first 12 hex chars of HMAC-SHA256 over the user prompt, only when a key is configured
 * @param idempotencyKey the caller's idempotency key ({@link IdempotencyKey}), or {@code null}
 * @param usageEstimated true when the token counts are the runtime's estimate, not the provider's:
 *     a stream cancelled or cut before the provider reported usage. Output tokens are then the
 *     delivered answer's characters divided by 4 (rounded up), input tokens the system and user
 *     prompts' characters divided by 4 (rounded up) — the usual rule of thumb for English text.
 * @param requestId the provider's request id of the last answer received, or {@code null}
 * @param attemptDetails one entry per provider attempt, in order
 * @param attributes string attributes set by links (e.g. {@code cache=hit}), in the order first set;
 *     never customer text. {@code answer_unwrapped=fence} when the accepted answer came wrapped in a
 *     Markdown code fence ({@code bom}: after a byte-order mark; {@code bom+fence}: both; the leniency
 *     rules are in docs/policies.md); {@code first_delta_ms} on a streamed call ({@link #FIRST_DELTA_MS})
 * @param toolCalls one entry per tool call the model made, in order (docs/tools.md); never its
 *     arguments or result
 */
public record CallRecord(
    String traceId,
    String task,
    String provider,
    String model,
    String promptVersion,
    CallStatus status,
    int attempts,
    long latencyMs,
    long inputTokens,
    long outputTokens,
    long cachedInputTokens,
    BigDecimal costUsd,
    String failureReason,
    String inputFingerprint,
    String idempotencyKey,
    boolean usageEstimated,
    String requestId,
    List<Attempt> attemptDetails,
    Map<String, String> attributes,
    List<ToolCall> toolCalls) {

  /** The name of the attribute that says the answer was unwrapped before decoding, and how. */
  public static final String ANSWER_UNWRAPPED = "answer_unwrapped";

  /**
   * The attribute with the input tokens written to the provider's prompt cache (Anthropic
   * {@code cache_creation_input_tokens}, OpenAI {@code cache_write_tokens}), set only when there were any;
   * they are part of {@link #inputTokens()} and priced at the rate card's cache-write rate.
   */
  public static final String PROMPT_CACHE_WRITE_TOKENS = "prompt_cache_write_tokens";

  /** The response-cache attribute: {@code hit}, {@code miss}, {@code stored}, {@code bypassed} or {@code refreshed} (docs/caching.md). */
  public static final String CACHE = "cache";

  /** On a response-cache hit: the cost in USD of the call whose answer was served (absent when its model had no price). */
  public static final String CACHE_SAVED_USD = "cache_saved_usd";

  /**
   * The name of the attribute a streamed call carries once its first delta reached the caller: the
   * milliseconds from the start of the call to that delta (for example {@code 212}). Absent for
   * blocking and async calls and for a stream that delivered no text.
   */
  public static final String FIRST_DELTA_MS = "first_delta_ms";

  public CallRecord {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(status, "status");
    attemptDetails = attemptDetails == null ? List.of() : List.copyOf(attemptDetails);
    attributes = attributes == null || attributes.isEmpty() ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    toolCalls = toolCalls == null || toolCalls.isEmpty() ? List.of() : List.copyOf(toolCalls);
  }

  /** A record without tool calls. */
  public CallRecord(String traceId, String task, String provider, String model, String promptVersion,
      CallStatus status, int attempts, long latencyMs, long inputTokens, long outputTokens, long cachedInputTokens,
      BigDecimal costUsd, String failureReason, String inputFingerprint, String idempotencyKey, boolean usageEstimated,
      String requestId, List<Attempt> attemptDetails, Map<String, String> attributes) {
    this(traceId, task, provider, model, promptVersion, status, attempts, latencyMs, inputTokens, outputTokens,
        cachedInputTokens, costUsd, failureReason, inputFingerprint, idempotencyKey, usageEstimated, requestId,
        attemptDetails, attributes, List.of());
  }

  /** A record without a request id, attempt entries or attributes. */
  public CallRecord(String traceId, String task, String provider, String model, String promptVersion,
      CallStatus status, int attempts, long latencyMs, long inputTokens, long outputTokens, long cachedInputTokens,
      BigDecimal costUsd, String failureReason, String inputFingerprint, String idempotencyKey) {
    this(traceId, task, provider, model, promptVersion, status, attempts, latencyMs, inputTokens, outputTokens,
        cachedInputTokens, costUsd, failureReason, inputFingerprint, idempotencyKey, false);
  }

  /** A record without a request id, attempt entries or attributes. */
  public CallRecord(String traceId, String task, String provider, String model, String promptVersion,
      CallStatus status, int attempts, long latencyMs, long inputTokens, long outputTokens, long cachedInputTokens,
      BigDecimal costUsd, String failureReason, String inputFingerprint, String idempotencyKey, boolean usageEstimated) {
    this(traceId, task, provider, model, promptVersion, status, attempts, latencyMs, inputTokens, outputTokens,
        cachedInputTokens, costUsd, failureReason, inputFingerprint, idempotencyKey, usageEstimated, null, List.of(), Map.of());
  }

  /**
   * One provider attempt of a call.
   *
   * @param provider the provider asked
   * @param model the model asked
   * @param outcome how the attempt ended: {@code OK} when an answer arrived (even one the checks then
   *     rejected: see the call's status), else the failure's status
   * @param latencyMs the attempt's wall-clock time
   * @param inputTokens input tokens of this attempt
   * @param outputTokens output tokens of this attempt
   * @param requestId the provider's request id, or {@code null}
   * @param costUsd this attempt's tokens priced on its own model; {@code null} when the rate card has no
   *     price for that model (zero for an attempt that used no tokens)
   */
  public record Attempt(String provider, String model, CallStatus outcome, long latencyMs, long inputTokens,
      long outputTokens, String requestId, BigDecimal costUsd) {
    public Attempt {
      Objects.requireNonNull(outcome, "outcome");
    }

    /** An attempt with no cost known. */
    public Attempt(String provider, String model, CallStatus outcome, long latencyMs, long inputTokens,
        long outputTokens, String requestId) {
      this(provider, model, outcome, latencyMs, inputTokens, outputTokens, requestId, null);
    }

    /** {@code openai/gpt-4o-mini}: where the attempt went. */
    public String route() {
      return provider + "/" + model;
    }
  }

  /**
   * One tool call the model made during the call.
   *
   * @param tool the tool's name, e.g. {@code create_rotation_job}
   * @param outcome how it ended
   * @param latencyMs the time from decoding its arguments to its result
   * @param action whether the tool is an action (side effects, once per key)
   * @param replayed for an action: its result was stored by an earlier call with the same key, and it did not run again
   */
  public record ToolCall(String tool, ToolOutcome outcome, long latencyMs, boolean action, boolean replayed) {
    public ToolCall {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(outcome, "outcome");
    }

    /** {@code create_rotation_job:ok:action:replayed}, for the log line. */
    String logText() {
      return tool + ":" + outcome.name().toLowerCase(java.util.Locale.ROOT) + (action ? ":action" : "")
          + (replayed ? ":replayed" : "");
    }
  }

  /** How one tool call ended; every outcome but {@link #OK} went back to the model as the tool's error. */
  public enum ToolOutcome {
    /** The tool answered (or, for a replayed action, its stored result was returned). */
    OK,
    /** The model named a tool the task may not use. */
    UNKNOWN_TOOL,
    /** The arguments did not decode or failed Bean Validation; the tool did not run. */
    INVALID_ARGUMENTS,
    /** The {@link dev.llmtask.tool.ToolAuthorizer} refused the action; it did not run. */
    NOT_AUTHORIZED,
    /** The call has no idempotency key, so the action cannot run once per key; it did not run. */
    NO_IDEMPOTENCY_KEY,
    /** Another call holds the action's claim; it did not run here. */
    IN_PROGRESS,
    /** The tool threw. */
    FAILED
  }

  /** True when the call returned a valid answer. */
  public boolean ok() {
    return status == CallStatus.OK;
  }

  /**
   * One structured line, {@code key=value} pairs in a fixed order, suitable for a log line:
   * {@code trace_id=trace_acct_10234_01 task=decide_rotation model=gpt-4o-mini … status=ok}.
   */
  public String toLogLine() {
    StringBuilder b = new StringBuilder(256);
    b.append("trace_id=").append(traceId)
        .append(" task=").append(task)
        .append(" provider=").append(provider)
        .append(" model=").append(model)
        .append(" prompt_version=").append(promptVersion)
        .append(" status=").append(status.wireName())
        .append(" attempts=").append(attempts)
        .append(" latency_ms=").append(latencyMs)
        .append(" input_tokens=").append(inputTokens)
        .append(" output_tokens=").append(outputTokens)
        .append(" cached_input_tokens=").append(cachedInputTokens)
        .append(" cost_usd=").append(costUsd == null ? "unknown" : costUsd.toPlainString());
    if (usageEstimated) {
      b.append(" usage_estimated=true");
    }
    if (inputFingerprint != null) {
      b.append(" input_fingerprint=").append(inputFingerprint);
    }
    if (idempotencyKey != null) {
      b.append(" idempotency_key=").append(idempotencyKey);
    }
    if (requestId != null) {
      b.append(" request_id=").append(requestId);
    }
    attributes.forEach((k, v) -> b.append(" attr.").append(k).append('=').append(v));
    if (!toolCalls.isEmpty()) {
      b.append(" tool_calls=");
      for (int i = 0; i < toolCalls.size(); i++) {
        b.append(i == 0 ? "" : ",").append(toolCalls.get(i).logText());
      }
    }
    if (failureReason != null) {
      b.append(" failure_reason=\"").append(failureReason.replace("\"", "'")).append('"');
    }
    return b.toString();
  }
}
