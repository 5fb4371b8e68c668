package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenAI Chat Completions dialect ({@code POST /v1/chat/completions}): success bodies with
 * {@code choices[0].message}, {@code chat.completion.chunk} streams, error bodies {@code {"error":{"message","type","param","code"}}},
 * and the {@code x-request-id} / {@code x-ratelimit-*} headers.
 */
final class OpenAiWire implements ProviderWire {

  static final String PATH = "/v1/chat/completions";
  static final int REQUEST_LIMIT = 10_000;
  static final int TOKEN_LIMIT = 2_000_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Override
  public String provider() {
    return "openai";
  }

  @Override
  public String taskOf(JsonNode request) {
    JsonNode name = request.path("response_format").path("json_schema").path("name");
    return name.isTextual() ? name.asText() : null;
  }

  @Override
  public JsonNode schemaOf(JsonNode request) {
    JsonNode schema = request.path("response_format").path("json_schema").path("schema");
    return schema.isObject() ? schema : null;
  }

  @Override
  public WireResponse success(
      ReplyContext ctx, Outcome outcome, String text, SimulatedReply.Usage usage) {
    return completion(ctx, ctx.usage(text, usage), outcome == Outcome.TRUNCATED ? "length" : "stop", message -> {
      if (outcome == Outcome.REFUSAL) {
        message.putNull("content");
        message.put("refusal", text);
      } else {
        message.put("content", text);
        message.putNull("refusal");
      }
    });
  }

  /** A {@code chat.completion} body with one choice whose message {@code content} fills in. */
  private WireResponse completion(ReplyContext ctx, SimulatedReply.Usage tokens, String finishReason,
      java.util.function.Consumer<ObjectNode> content) {
    ObjectNode body = NODES.objectNode();
    body.put("id", "chatcmpl-" + ctx.randomId(29));
    body.put("object", "chat.completion");
    body.put("created", Instant.now().getEpochSecond());
    body.put("model", ctx.model("gpt-4o-mini"));
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    content.accept(message);
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    body.set("usage", usage(tokens));
    body.put("service_tier", "default");
    body.put("system_fingerprint", "fp_" + ctx.randomHex(10));
    return WireResponse.json(200, headers(ctx, false, tokens.inputTokens()), body);
  }

  /** {@code message.tool_calls} with {@code arguments} as a string, {@code content: null}, {@code finish_reason "tool_calls"}. */
  @Override
  public WireResponse toolCalls(ReplyContext ctx, List<ScriptedToolCall> calls, SimulatedReply.Usage usage) {
    StringBuilder all = new StringBuilder();
    calls.forEach(c -> all.append(c.name()).append(c.argumentsJson()));
    return completion(ctx, ctx.usage(all.toString(), usage), "tool_calls", message -> {
      message.putNull("content");
      com.fasterxml.jackson.databind.node.ArrayNode toolCalls = message.putArray("tool_calls");
      for (ScriptedToolCall call : calls) {
        ObjectNode c = toolCalls.addObject();
        c.put("id", "call_" + ctx.randomId(24));
        c.put("type", "function");
        c.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
      }
      message.putNull("refusal");
    });
  }

  /**
   * {@code data: {chunk}} events without {@code event:} lines: a first chunk with the role, one
   * chunk per delta ({@code delta.content}, or {@code delta.refusal} for a refusal), a chunk with
   * the {@code finish_reason}, the usage chunk ({@code "choices": []}) when the request asked for
   * it with {@code stream_options.include_usage}, then {@code data: [DONE]}.
   */
  @Override
  public EventStream stream(
      ReplyContext ctx, Outcome outcome, String text, SimulatedReply.Usage usage, int chunkSize) {
    SimulatedReply.Usage tokens = ctx.usage(text, usage);
    boolean includeUsage = ctx.request().path("stream_options").path("include_usage").asBoolean();
    ObjectNode template = NODES.objectNode();
    template.put("id", "chatcmpl-" + ctx.randomId(29));
    template.put("object", "chat.completion.chunk");
    template.put("created", Instant.now().getEpochSecond());
    template.put("model", ctx.model("gpt-4o-mini"));
    template.put("service_tier", "default");
    template.put("system_fingerprint", "fp_" + ctx.randomHex(10));
    String field = outcome == Outcome.REFUSAL ? "refusal" : "content";

    ObjectNode first = NODES.objectNode().put("role", "assistant");
    if (outcome == Outcome.REFUSAL) {
      first.putNull("content").put("refusal", "");
    } else {
      first.put("content", "").putNull("refusal");
    }
    List<String> opening = List.of(chunk(template, first, null, includeUsage));
    List<String> deltas = new ArrayList<>();
    for (String piece : ProviderWire.deltas(text, chunkSize)) {
      deltas.add(chunk(template, NODES.objectNode().put(field, piece), null, includeUsage));
    }
    List<String> closing = new ArrayList<>();
    String finish = outcome == Outcome.TRUNCATED ? "length" : "stop";
    closing.add(chunk(template, NODES.objectNode(), finish, includeUsage));
    if (includeUsage) {
      ObjectNode usageChunk = template.deepCopy();
      usageChunk.putArray("choices");
      usageChunk.set("usage", usage(tokens));
      closing.add(data(usageChunk));
    }
    closing.add("data: [DONE]\n\n");
    return new EventStream(headers(ctx, false, tokens.inputTokens()), opening, deltas, closing);
  }

  /** A chunk with one choice; {@code "usage": null} on every chunk when usage was requested. */
  private static String chunk(
      ObjectNode template, ObjectNode delta, String finishReason, boolean includeUsage) {
    ObjectNode chunk = template.deepCopy();
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    if (includeUsage) {
      chunk.putNull("usage");
    }
    return data(chunk);
  }

  /** {@code data: {"error":{…}}}: how an OpenAI stream reports a failure after the 200. */
  @Override
  public String streamError(ReplyContext ctx, String errorType) {
    return data(errorBody(errorType, null, ProviderWire.streamErrorMessage(errorType)));
  }

  private static String data(JsonNode json) {
    return "data: " + json + "\n\n";
  }

  private static ObjectNode usage(SimulatedReply.Usage tokens) {
    ObjectNode u = NODES.objectNode();
    u.put("prompt_tokens", tokens.inputTokens());
    u.put("completion_tokens", tokens.outputTokens());
    u.put("total_tokens", tokens.inputTokens() + tokens.outputTokens());
    ObjectNode promptDetails = u.putObject("prompt_tokens_details");
    promptDetails.put("cached_tokens", tokens.cachedInputTokens());
    if (tokens.cacheWriteTokens() > 0) {
      promptDetails.put("cache_write_tokens", tokens.cacheWriteTokens());
    }
    promptDetails.put("audio_tokens", 0);
    ObjectNode completionDetails = u.putObject("completion_tokens_details");
    completionDetails.put("reasoning_tokens", 0);
    completionDetails.put("audio_tokens", 0);
    completionDetails.put("accepted_prediction_tokens", 0);
    completionDetails.put("rejected_prediction_tokens", 0);
    return u;
  }

  @Override
  public WireResponse error(ReplyContext ctx, SimulatedReply.ErrorSpec spec) {
    int status = spec.status();
    String type;
    String code;
    String message;
    boolean limited = false;
    switch (spec.flavor()) {
      case CUSTOM:
        return errorResponse(ctx, status, spec.type(), spec.code(), spec.message(), false);
      case QUOTA_EXHAUSTED:
        return errorResponse(
            ctx,
            429,
            "insufficient_quota",
            "insufficient_quota",
            "You exceeded your current quota, please check your plan and billing details. For more"
                + " information on this error, read the docs:"
                + " https://platform.openai.com/docs/guides/error-codes/api-errors.",
            false);
      case OVERLOADED:
        status = 503;
        break;
      case CONTEXT_TOO_LONG:
        return errorResponse(
            ctx,
            400,
            "invalid_request_error",
            "context_length_exceeded",
            "This model's maximum context length is 128000 tokens. However, your messages resulted in"
                + " 131072 tokens. Please reduce the length of the messages.",
            false);
      default:
        break;
    }
    String model = ctx.model("gpt-4o-mini");
    switch (status) {
      case 400:
        type = "invalid_request_error";
        code = null;
        message = "Invalid request (simulated by llmtask-testkit).";
        break;
      case 401:
        type = "invalid_request_error";
        code = "invalid_api_key";
        message =
            "Incorrect API key provided. You can find your API key at"
                + " https://platform.openai.com/account/api-keys.";
        break;
      case 403:
        type = "invalid_request_error";
        code = "model_not_available";
        message = "You are not allowed to sample from this model";
        break;
      case 404:
        type = "invalid_request_error";
        code = "model_not_found";
        message = "The model `" + model + "` does not exist or you do not have access to it.";
        break;
      case 408:
        type = "timeout";
        code = null;
        message = "Request timed out.";
        break;
      case 409:
        type = "invalid_request_error";
        code = "conflict";
        message = "The request conflicts with another request in progress.";
        break;
      case 413:
        type = "invalid_request_error";
        code = "request_too_large";
        message = "Request too large.";
        break;
      case 422:
        type = "invalid_request_error";
        code = null;
        message = "Unprocessable request.";
        break;
      case 429:
        type = "requests";
        code = "rate_limit_exceeded";
        message =
            "Rate limit reached for "
                + model
                + " in organization org-llmtask-sim on requests per min (RPM): Limit "
                + REQUEST_LIMIT
                + ", Used "
                + REQUEST_LIMIT
                + ", Requested 1. Please try again in 1.574s.";
        limited = true;
        break;
      case 503:
        type = "server_error";
        code = null;
        message = "The engine is currently overloaded, please try again later.";
        break;
      default:
        if (status >= 500) {
          type = "server_error";
          code = null;
          message = "The server had an error while processing your request. Sorry about that!";
        } else {
          type = "invalid_request_error";
          code = null;
          message = "Request failed with status " + status + " (simulated by llmtask-testkit).";
        }
    }
    return errorResponse(ctx, status, type, code, message, limited);
  }

  @Override
  public WireResponse notFound(ReplyContext ctx, String method, String path) {
    return errorResponse(
        ctx, 404, "invalid_request_error", null, "Invalid URL (" + method + " " + path + ")", false);
  }

  @Override
  public WireResponse badRequest(ReplyContext ctx, String message) {
    return errorResponse(ctx, 400, "invalid_request_error", null, message, false);
  }

  private WireResponse errorResponse(
      ReplyContext ctx, int status, String type, String code, String message, boolean limited) {
    return WireResponse.json(status, headers(ctx, limited, 0), errorBody(type, code, message));
  }

  private static ObjectNode errorBody(String type, String code, String message) {
    ObjectNode body = NODES.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return body;
  }

  private static Map<String, String> headers(ReplyContext ctx, boolean limited, int tokens) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-request-id", "req_" + ctx.randomHex(32));
    h.put("openai-version", "2020-10-01");
    h.put("openai-processing-ms", Integer.toString(50 + ctx.random().nextInt(400)));
    h.put("x-ratelimit-limit-requests", Integer.toString(REQUEST_LIMIT));
    h.put("x-ratelimit-limit-tokens", Integer.toString(TOKEN_LIMIT));
    long remaining = limited ? 0 : Math.max(0, REQUEST_LIMIT - 1 - ctx.index() % REQUEST_LIMIT);
    h.put("x-ratelimit-remaining-requests", Long.toString(remaining));
    h.put("x-ratelimit-remaining-tokens", Integer.toString(Math.max(0, TOKEN_LIMIT - tokens)));
    h.put("x-ratelimit-reset-requests", limited ? "1.574s" : "6ms");
    h.put("x-ratelimit-reset-tokens", "0s");
    return h;
  }
}
