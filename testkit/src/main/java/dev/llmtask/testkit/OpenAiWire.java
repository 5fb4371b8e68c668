package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenAI Chat Completions dialect ({@code POST /v1/chat/completions}): success bodies with
 * {@code choices[0].message}, error bodies {@code {"error":{"message","type","param","code"}}},
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
    int input = usage != null ? usage.inputTokens() : ctx.estimatedInputTokens();
    int output = usage != null ? usage.outputTokens() : Math.max(1, text.length() / 4);
    int cached = usage != null ? usage.cachedInputTokens() : 0;

    ObjectNode body = NODES.objectNode();
    body.put("id", "chatcmpl-" + ctx.randomId(29));
    body.put("object", "chat.completion");
    body.put("created", Instant.now().getEpochSecond());
    body.put("model", ctx.model("gpt-4o-mini"));
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (outcome == Outcome.REFUSAL) {
      message.putNull("content");
      message.put("refusal", text);
    } else {
      message.put("content", text);
      message.putNull("refusal");
    }
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", outcome == Outcome.TRUNCATED ? "length" : "stop");
    ObjectNode u = body.putObject("usage");
    u.put("prompt_tokens", input);
    u.put("completion_tokens", output);
    u.put("total_tokens", input + output);
    ObjectNode promptDetails = u.putObject("prompt_tokens_details");
    promptDetails.put("cached_tokens", cached);
    promptDetails.put("audio_tokens", 0);
    ObjectNode completionDetails = u.putObject("completion_tokens_details");
    completionDetails.put("reasoning_tokens", 0);
    completionDetails.put("audio_tokens", 0);
    completionDetails.put("accepted_prediction_tokens", 0);
    completionDetails.put("rejected_prediction_tokens", 0);
    body.put("service_tier", "default");
    body.put("system_fingerprint", "fp_" + ctx.randomHex(10));
    return WireResponse.json(200, headers(ctx, false, input), body);
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
    return WireResponse.json(status, headers(ctx, limited, 0), body);
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
