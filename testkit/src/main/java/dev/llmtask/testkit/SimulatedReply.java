package dev.llmtask.testkit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of the {@link LlmSimulator}: a model answer, a refusal, a truncation, a
 * provider error or a transport fault, optionally delayed and with extra response headers.
 *
 * <p>The same reply is rendered in the wire format of whichever provider endpoint receives the
 * request (OpenAI Chat Completions or Anthropic Messages), so a test can script behaviour once and
 * run it against either adapter.
 *
 * <p>Every answer also has a streaming form: when the request sets {@code "stream": true} the
 * answer is sent as the provider's server-sent events, split into deltas of {@link
 * #withChunkSize(int)} characters, and the stream faults ({@link #cutStream}, {@link
 * #stalledStream}, {@link #streamError}) break such a stream on purpose. Error statuses are sent
 * as plain HTTP errors before any event, as the real services do.
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return modified copies.
 *
 * <pre>{@code
 * simulator.enqueue("decide_rotation", SimulatedReply.rateLimited().withHeader("retry-after-ms", "50"));
 * simulator.enqueue("decide_rotation",
 *     SimulatedReply.json("{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}"));
 * }</pre>
 */
public final class SimulatedReply {

  /** What the reply does. */
  enum Kind {
    /** A 200 carrying the given JSON text as the model's answer. */
    JSON,
    /** A 200 carrying a schema-valid answer generated from the request's schema. */
    GENERATED,
    /** A 200 in which the model refuses. */
    REFUSAL,
    /** A 200 whose answer was cut off by the output token limit. */
    TRUNCATED,
    /** A provider-shaped error response. */
    ERROR,
    /** The connection is closed before any response byte is sent. */
    DROP_CONNECTION,
    /** A 200 whose body is not JSON. */
    INVALID_JSON,
    /** A 200 that announces more body bytes than it sends, then closes the connection. */
    TRUNCATED_BODY,
    /** A stream that ends (connection closed) after some deltas, without its final events. */
    CUT_STREAM,
    /** A stream that goes silent after some deltas, then is closed. */
    STALLED_STREAM,
    /** A stream that carries an error event after some deltas. */
    STREAM_ERROR,
    /** A whole stream without the provider's end event, ended cleanly. */
    STREAM_WITHOUT_END,
    /** Bytes sent verbatim, or a large filler body. */
    RAW,
    /** A 200 in which the model asks for tools instead of answering. */
    TOOL_CALLS
  }

  /** Which built-in error body to render; {@link #CUSTOM} uses the explicit fields. */
  enum ErrorFlavor {
    STATUS,
    RATE_LIMITED,
    QUOTA_EXHAUSTED,
    OVERLOADED,
    CONTEXT_TOO_LONG,
    CUSTOM
  }

  /** The error to render: status plus, for {@link ErrorFlavor#CUSTOM}, the body fields. */
  record ErrorSpec(int status, ErrorFlavor flavor, String type, String code, String message) {}

  /** Token counts written verbatim into the provider's usage fields. */
  /**
   * Tokens of one answer. Scripted counts go to the wire verbatim; the simulator's own estimate
   * ({@code estimated}) counts every prompt token in {@code inputTokens}, cache reads and writes included.
   */
  record Usage(int inputTokens, int outputTokens, int cachedInputTokens, int cacheWriteTokens, boolean estimated) {}

  /**
   * Where and how a stream fault breaks the stream: after {@code afterDeltas} content deltas;
   * {@code stall} for {@link Kind#STALLED_STREAM}, {@code errorType} for {@link
   * Kind#STREAM_ERROR} (otherwise null).
   */
  record StreamFault(int afterDeltas, Duration stall, String errorType) {}

  /**
   * A body sent as is: {@code bytes} verbatim, or (when {@code bytes} is null) {@code fillerBytes}
   * of generated filler written 64 KiB at a time, never held whole; {@code announced} sends a
   * {@code content-length}, else the body is chunked.
   */
  record RawBody(int status, String contentType, byte[] bytes, long fillerBytes, boolean announced) {}

  /** The default size of a streamed content delta, in characters. */
  public static final int DEFAULT_CHUNK_SIZE = 16;

  private final Kind kind;
  private final String text;
  private final ErrorSpec error;
  private final StreamFault streamFault;
  private final RawBody raw;
  private final java.util.List<ScriptedToolCall> toolCalls;
  private final Duration delay;
  private final Map<String, String> headers;
  private final Usage usage;
  private final int chunkSize;
  private final Duration chunkDelay;

  private SimulatedReply(Kind kind, String text, ErrorSpec error, StreamFault streamFault) {
    this(kind, text, error, streamFault, null);
  }

  private SimulatedReply(Kind kind, String text, ErrorSpec error, StreamFault streamFault, RawBody raw) {
    this(kind, text, error, streamFault, raw, java.util.List.of());
  }

  private SimulatedReply(Kind kind, String text, ErrorSpec error, StreamFault streamFault, RawBody raw,
      java.util.List<ScriptedToolCall> toolCalls) {
    this.kind = kind;
    this.text = text;
    this.error = error;
    this.streamFault = streamFault;
    this.raw = raw;
    this.toolCalls = toolCalls;
    this.delay = Duration.ZERO;
    this.headers = Map.of();
    this.usage = null;
    this.chunkSize = DEFAULT_CHUNK_SIZE;
    this.chunkDelay = Duration.ZERO;
  }

  /** A copy of {@code base} with other modifiers (what the reply does stays the same). */
  private SimulatedReply(
      SimulatedReply base,
      Duration delay,
      Map<String, String> headers,
      Usage usage,
      int chunkSize,
      Duration chunkDelay) {
    this.kind = base.kind;
    this.text = base.text;
    this.error = base.error;
    this.streamFault = base.streamFault;
    this.raw = base.raw;
    this.toolCalls = base.toolCalls;
    this.delay = delay;
    this.headers = headers;
    this.usage = usage;
    this.chunkSize = chunkSize;
    this.chunkDelay = chunkDelay;
  }

  private static SimulatedReply of(Kind kind, String text, ErrorSpec error) {
    return new SimulatedReply(kind, text, error, null);
  }

  // ---- answers ------------------------------------------------------------------------------

  /**
   * The model asks to call the tool {@code name} with {@code argumentsJson} (sent verbatim) instead of
   * answering: an assistant message with {@code tool_calls} and {@code finish_reason "tool_calls"} for
   * OpenAI, a {@code tool_use} block with {@code stop_reason "tool_use"} for Anthropic. Queue the
   * answer that follows the tool's result as the task's next reply; the next request carries the
   * tool's result ({@link RecordedRequest#json()}).
   */
  public static SimulatedReply toolCall(String name, String argumentsJson) {
    return toolCalls(new ScriptedToolCall(name, argumentsJson));
  }

  /** The model asks for several tools in one turn, in order; see {@link #toolCall(String, String)}. */
  public static SimulatedReply toolCalls(ScriptedToolCall... calls) {
    if (calls.length == 0) {
      throw new IllegalArgumentException("a tool-call reply needs at least one call");
    }
    return new SimulatedReply(Kind.TOOL_CALLS, null, null, null, null, java.util.List.of(calls));
  }

  /**
   * The model answers with {@code outputJson}, sent verbatim: as {@code
   * choices[0].message.content} for OpenAI, and as the {@code input} of a {@code tool_use} block
   * for Anthropic. For Anthropic, text that is not a JSON object is sent as a {@code text} block
   * with {@code stop_reason "end_turn"} instead (which is what a model that ignores the tool
   * produces).
   *
   * <p>The text need not be valid or schema-conforming: use it to script wrong answers. Plain text
   * (not starting with <code>{</code>) for a text task, whose schema has one string property as
   * for {@code String} and {@code LlmStream<String>} tasks, is wrapped as that property:
   * {@code json("Hello")} answers <code>{"value":"Hello"}</code>.
   */
  public static SimulatedReply json(String outputJson) {
    return of(Kind.JSON, Objects.requireNonNull(outputJson, "outputJson"), null);
  }

  /**
   * The default behaviour, made explicit: a schema-valid answer generated from the request's
   * schema, deterministic for the simulator's seed and the request body.
   */
  public static SimulatedReply generated() {
    return of(Kind.GENERATED, null, null);
  }

  /**
   * The model refuses. OpenAI: {@code message.content} null, {@code message.refusal} = text,
   * {@code finish_reason "stop"}. Anthropic: a {@code text} block with the text and {@code
   * stop_reason "refusal"}.
   */
  public static SimulatedReply refusal(String text) {
    return of(Kind.REFUSAL, Objects.requireNonNull(text, "text"), null);
  }

  /**
   * The answer hit the output token limit. OpenAI: content = {@code partialJson}, {@code
   * finish_reason "length"}. Anthropic: a {@code text} block with {@code partialJson}, {@code
   * stop_reason "max_tokens"}.
   */
  public static SimulatedReply truncated(String partialJson) {
    return of(Kind.TRUNCATED, Objects.requireNonNull(partialJson, "partialJson"), null);
  }

  // ---- errors -------------------------------------------------------------------------------

  /**
   * An error response with the provider's real error body for {@code httpStatus} (400…599), e.g.
   * OpenAI 401 {@code invalid_api_key}, 429 {@code rate_limit_exceeded}, 500 {@code
   * server_error}; Anthropic 401 {@code authentication_error}, 429 {@code rate_limit_error}, 529
   * {@code overloaded_error}. No {@code retry-after} headers unless added with {@link
   * #withHeader}.
   */
  public static SimulatedReply status(int httpStatus) {
    return of(Kind.ERROR, null, new ErrorSpec(checkStatus(httpStatus), ErrorFlavor.STATUS, null, null, null));
  }

  /**
   * A retryable 429 rate limit: OpenAI {@code type "requests", code "rate_limit_exceeded"};
   * Anthropic {@code rate_limit_error}. No {@code retry-after}/{@code retry-after-ms} unless added.
   */
  public static SimulatedReply rateLimited() {
    return of(Kind.ERROR, null, new ErrorSpec(429, ErrorFlavor.RATE_LIMITED, null, null, null));
  }

  /**
   * A 429 for an exhausted quota, which must not be retried: OpenAI {@code type/code
   * "insufficient_quota"}; Anthropic {@code rate_limit_error} with {@code error.details.error_code
   * "enforced_spend_limit_reached"} and no {@code retry-after}.
   */
  public static SimulatedReply quotaExhausted() {
    return of(Kind.ERROR, null, new ErrorSpec(429, ErrorFlavor.QUOTA_EXHAUSTED, null, null, null));
  }

  /**
   * The provider is overloaded: Anthropic 529 {@code overloaded_error}; OpenAI (which has no 529)
   * 503 with a {@code server_error} body.
   */
  public static SimulatedReply overloaded() {
    return of(Kind.ERROR, null, new ErrorSpec(529, ErrorFlavor.OVERLOADED, null, null, null));
  }

  /**
   * The prompt exceeds the model's context window: OpenAI 400 {@code invalid_request_error} with code
   * {@code context_length_exceeded}; Anthropic 400 {@code invalid_request_error} "prompt is too long:
   * … tokens > … maximum". Not retryable.
   */
  public static SimulatedReply contextTooLong() {
    return of(Kind.ERROR, null, new ErrorSpec(400, ErrorFlavor.CONTEXT_TOO_LONG, null, null, null));
  }

  /**
   * A fully custom error. OpenAI body: {@code {"error":{"message","type","param":null,"code"}}};
   * Anthropic body: {@code {"type":"error","error":{"type","message"[,"details":{"error_code":
   * code}]},"request_id"}} — the code appears as {@code details.error_code} when not null.
   *
   * @param code may be null
   */
  public static SimulatedReply error(int httpStatus, String type, String code, String message) {
    return of(
        Kind.ERROR,
        null,
        new ErrorSpec(
            checkStatus(httpStatus),
            ErrorFlavor.CUSTOM,
            Objects.requireNonNull(type, "type"),
            code,
            Objects.requireNonNull(message, "message")));
  }

  // ---- transport faults ---------------------------------------------------------------------

  /**
   * The connection is closed before any response byte is sent; {@code java.net.http.HttpClient}
   * fails with an {@code IOException} ("header parser received no bytes"). Implemented by aborting
   * the exchange before {@code sendResponseHeaders}, which makes the JDK server close the socket.
   */
  public static SimulatedReply dropConnection() {
    return of(Kind.DROP_CONNECTION, null, null);
  }

  /** A 200 whose body is a cut-off HTML error page ({@code content-type: text/html}), not JSON. */
  public static SimulatedReply invalidJson() {
    return of(Kind.INVALID_JSON, null, null);
  }

  /**
   * A 200 whose {@code content-length} announces the full success body but only the first half is
   * written before the connection is closed; the client fails while reading the body. On a
   * streaming request: the generated answer's stream is cut after half its deltas, as in {@link
   * #cutStream}.
   */
  public static SimulatedReply truncatedBody() {
    return of(Kind.TRUNCATED_BODY, null, null);
  }

  /**
   * A response of {@code status} whose body is {@code body} verbatim, with this {@code content-type}
   * and a {@code content-length}, whether or not the request asked for a stream: malformed events,
   * a JSON answer to a stream request, random bytes, a stream that ends cleanly where a test wants.
   */
  public static SimulatedReply raw(int status, String contentType, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("a status must be 100..599, got " + status);
    }
    Objects.requireNonNull(contentType, "contentType");
    return new SimulatedReply(Kind.RAW, null, null, null,
        new RawBody(status, contentType, Objects.requireNonNull(body, "body").clone(), 0, true));
  }

  /**
   * A 200 whose body is {@code bytes} long: {@code {"filler":"xxxx…} as {@code application/json},
   * or for a stream request one {@code data: xxxx…} line that never ends, as {@code
   * text/event-stream}. The simulator writes it 64 KiB at a time and never holds it whole, so it
   * can send far more than a client should accept (use it to test response caps). With {@code
   * announced} the {@code content-length} is sent, else the body is chunked. The write stops when
   * the client goes away.
   */
  public static SimulatedReply oversizedBody(long bytes, boolean announced) {
    if (bytes < 16) {
      throw new IllegalArgumentException("an oversized body has at least 16 bytes, got " + bytes);
    }
    return new SimulatedReply(Kind.RAW, null, null, null, new RawBody(200, null, null, bytes, announced));
  }

  // ---- stream faults ------------------------------------------------------------------------

  /**
   * A whole stream of {@code outputJson} without the provider's end event, the body then ended
   * cleanly (terminating chunk): OpenAI's finish reason and usage chunks come, {@code data: [DONE]}
   * does not (what many OpenAI-compatible servers send); for Anthropic {@code message_stop} is left
   * out.
   */
  public static SimulatedReply streamWithoutEndEvent(String outputJson) {
    return new SimulatedReply(Kind.STREAM_WITHOUT_END, Objects.requireNonNull(outputJson, "outputJson"), null, null);
  }

  /**
   * A stream cut midway: the 200 headers, the opening events and the first {@code afterDeltas}
   * content deltas of {@code outputJson} are sent, then the connection is closed without the final
   * events (no {@code finish_reason}, usage chunk or {@code data: [DONE]} for OpenAI; no {@code
   * content_block_stop}, {@code message_delta} or {@code message_stop} for Anthropic) and without
   * ending the chunked body, 50 ms after the last event. With {@code afterDeltas} 0 only the
   * opening events (OpenAI's role chunk; Anthropic's {@code message_start}, {@code
   * content_block_start} and {@code ping}) arrive.
   *
   * <p>Stream faults need a streaming request; a request without {@code "stream": true} that
   * meets one gets a 400 from the simulator saying so.
   */
  public static SimulatedReply cutStream(String outputJson, int afterDeltas) {
    return streamFault(Kind.CUT_STREAM, outputJson, new StreamFault(checkDeltas(afterDeltas), null, null));
  }

  /**
   * A stream that stalls: the first {@code afterDeltas} content deltas of {@code outputJson} are
   * sent, then nothing at all for {@code stall} (use it to trip an idle timeout), then the
   * connection is closed as in {@link #cutStream}. Just before closing, the simulator writes an
   * SSE comment line (ignored by SSE parsers) to learn whether the client already went away; see
   * {@link LlmSimulator#closedStreams()}.
   */
  public static SimulatedReply stalledStream(String outputJson, int afterDeltas, Duration stall) {
    Objects.requireNonNull(stall, "stall");
    if (stall.isNegative()) {
      throw new IllegalArgumentException("stall must not be negative: " + stall);
    }
    return streamFault(
        Kind.STALLED_STREAM, outputJson, new StreamFault(checkDeltas(afterDeltas), stall, null));
  }

  /**
   * A stream that fails on the HTTP 200: after {@code afterDeltas} content deltas of {@code
   * outputJson}, Anthropic sends {@code event: error} with {@code
   * {"type":"error","error":{"type":errorType,"message":…}}} (e.g. {@code overloaded_error}, {@code
   * api_error}); OpenAI sends {@code data: {"error":{"message","type":errorType,"param":null,
   * "code":null}}}. The stream then ends without its final events.
   */
  public static SimulatedReply streamError(String outputJson, int afterDeltas, String errorType) {
    Objects.requireNonNull(errorType, "errorType");
    if (errorType.isBlank()) {
      throw new IllegalArgumentException("errorType must not be blank");
    }
    return streamFault(
        Kind.STREAM_ERROR, outputJson, new StreamFault(checkDeltas(afterDeltas), null, errorType));
  }

  private static SimulatedReply streamFault(Kind kind, String outputJson, StreamFault fault) {
    return new SimulatedReply(kind, Objects.requireNonNull(outputJson, "outputJson"), null, fault);
  }

  private static int checkDeltas(int afterDeltas) {
    if (afterDeltas < 0) {
      throw new IllegalArgumentException("afterDeltas must not be negative: " + afterDeltas);
    }
    return afterDeltas;
  }

  // ---- modifiers ----------------------------------------------------------------------------

  /**
   * Waits {@code delay} before sending anything (use it to trip client timeouts). Only the thread
   * serving this request waits; other requests are served meanwhile, and {@link
   * LlmSimulator#close()} interrupts the wait.
   */
  public SimulatedReply withDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return new SimulatedReply(this, delay, headers, usage, chunkSize, chunkDelay);
  }

  /**
   * Adds (or replaces) a response header, e.g. {@code retry-after}, {@code retry-after-ms}, {@code
   * x-should-retry}. Names are case-insensitive and stored in lower case; a header set here wins
   * over the simulator's default header of the same name.
   */
  public SimulatedReply withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isBlank()) {
      throw new IllegalArgumentException("header name must not be blank");
    }
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name.toLowerCase(Locale.ROOT), value);
    return new SimulatedReply(
        this, delay, Collections.unmodifiableMap(copy), usage, chunkSize, chunkDelay);
  }

  /**
   * Reports these token counts instead of the estimate (request chars / 4, answer chars / 4). They
   * are written verbatim into the provider's fields — OpenAI: {@code prompt_tokens = inputTokens}
   * (OpenAI counts cached tokens inside it), {@code completion_tokens}, {@code
   * prompt_tokens_details.cached_tokens}; Anthropic: {@code input_tokens = inputTokens} (Anthropic
   * counts cache reads separately), {@code output_tokens}, {@code cache_read_input_tokens}.
   */
  public SimulatedReply withUsage(int inputTokens, int outputTokens, int cachedInputTokens) {
    if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    Usage counts = new Usage(inputTokens, outputTokens, cachedInputTokens, 0, false);
    return new SimulatedReply(this, delay, headers, counts, chunkSize, chunkDelay);
  }

  /**
   * The size of each streamed content delta in characters (default {@value #DEFAULT_CHUNK_SIZE});
   * only affects streaming requests. A delta never splits a surrogate pair.
   */
  public SimulatedReply withChunkSize(int chars) {
    if (chars < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1, got " + chars);
    }
    return new SimulatedReply(this, delay, headers, usage, chars, chunkDelay);
  }

  /**
   * A pause before each streamed event after the first (default none); only affects streaming
   * requests. Use it to watch events arrive one by one, or to cancel a stream midway.
   */
  public SimulatedReply withChunkDelay(Duration pause) {
    Objects.requireNonNull(pause, "pause");
    if (pause.isNegative()) {
      throw new IllegalArgumentException("chunk delay must not be negative: " + pause);
    }
    return new SimulatedReply(this, delay, headers, usage, chunkSize, pause);
  }

  // ---- package-private accessors for the simulator ------------------------------------------

  Kind kind() {
    return kind;
  }

  String text() {
    return text;
  }

  ErrorSpec errorSpec() {
    return error;
  }

  Duration delay() {
    return delay;
  }

  Map<String, String> headers() {
    return headers;
  }

  Usage usage() {
    return usage;
  }

  StreamFault streamFault() {
    return streamFault;
  }

  RawBody raw() {
    return raw;
  }

  java.util.List<ScriptedToolCall> toolCalls() {
    return toolCalls;
  }

  int chunkSize() {
    return chunkSize;
  }

  Duration chunkDelay() {
    return chunkDelay;
  }

  private static int checkStatus(int httpStatus) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("an error status must be 400..599, got " + httpStatus);
    }
    return httpStatus;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("SimulatedReply[").append(kind);
    if (error != null) {
      s.append(' ').append(error.status()).append(' ').append(error.flavor());
    }
    if (!toolCalls.isEmpty()) {
      s.append(' ').append(toolCalls.stream().map(ScriptedToolCall::name).toList());
    }
    if (text != null) {
      s.append(" text=").append(text.length() > 60 ? text.substring(0, 60) + "…" : text);
    }
    if (!delay.isZero()) {
      s.append(" delay=").append(delay);
    }
    if (!headers.isEmpty()) {
      s.append(" headers=").append(headers);
    }
    if (usage != null) {
      s.append(' ').append(usage);
    }
    if (streamFault != null) {
      s.append(' ').append(streamFault);
    }
    if (chunkSize != DEFAULT_CHUNK_SIZE || !chunkDelay.isZero()) {
      s.append(" chunks=").append(chunkSize).append('/').append(chunkDelay);
    }
    return s.append(']').toString();
  }
}
