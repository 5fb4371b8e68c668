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
    TRUNCATED_BODY
  }

  /** Which built-in error body to render; {@link #CUSTOM} uses the explicit fields. */
  enum ErrorFlavor {
    STATUS,
    RATE_LIMITED,
    QUOTA_EXHAUSTED,
    OVERLOADED,
    CUSTOM
  }

  /** The error to render: status plus, for {@link ErrorFlavor#CUSTOM}, the body fields. */
  record ErrorSpec(int status, ErrorFlavor flavor, String type, String code, String message) {}

  /** Token counts written verbatim into the provider's usage fields. */
  record Usage(int inputTokens, int outputTokens, int cachedInputTokens) {}

  private final Kind kind;
  private final String text;
  private final ErrorSpec error;
  private final Duration delay;
  private final Map<String, String> headers;
  private final Usage usage;

  private SimulatedReply(
      Kind kind,
      String text,
      ErrorSpec error,
      Duration delay,
      Map<String, String> headers,
      Usage usage) {
    this.kind = kind;
    this.text = text;
    this.error = error;
    this.delay = delay;
    this.headers = headers;
    this.usage = usage;
  }

  private static SimulatedReply of(Kind kind, String text, ErrorSpec error) {
    return new SimulatedReply(kind, text, error, Duration.ZERO, Map.of(), null);
  }

  // ---- answers ------------------------------------------------------------------------------

  /**
   * The model answers with {@code outputJson}, sent verbatim: as {@code
   * choices[0].message.content} for OpenAI, and as the {@code input} of a {@code tool_use} block
   * for Anthropic. For Anthropic, text that is not a JSON object is sent as a {@code text} block
   * with {@code stop_reason "end_turn"} instead (which is what a model that ignores the tool
   * produces).
   *
   * <p>The text need not be valid or schema-conforming: use it to script wrong answers.
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
   * written before the connection is closed; the client fails while reading the body.
   */
  public static SimulatedReply truncatedBody() {
    return of(Kind.TRUNCATED_BODY, null, null);
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
    return new SimulatedReply(kind, text, error, delay, headers, usage);
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
    return new SimulatedReply(kind, text, error, delay, Collections.unmodifiableMap(copy), usage);
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
    return new SimulatedReply(
        kind, text, error, delay, headers, new Usage(inputTokens, outputTokens, cachedInputTokens));
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
    return s.append(']').toString();
  }
}
