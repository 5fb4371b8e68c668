package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Anthropic Messages dialect ({@code POST /v1/messages}): structured output through a forced
 * tool, success bodies with {@code tool_use} / {@code text} content blocks, SSE streams of {@code
 * message_start} … {@code message_stop}, error bodies {@code
 * {"type":"error","error":{"type","message"},"request_id"}} and the {@code request-id} / {@code
 * anthropic-ratelimit-*} headers.
 */
final class AnthropicWire implements ProviderWire {

  static final String PATH = "/v1/messages";
  static final String DEFAULT_TOOL = "emit_result";
  static final int REQUEST_LIMIT = 4_000;
  static final int TOKEN_LIMIT = 400_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Override
  public String provider() {
    return "anthropic";
  }

  @Override
  public String taskOf(JsonNode request) {
    JsonNode tool = tool(request);
    JsonNode name = tool == null ? null : tool.get("name");
    if (name != null && name.isTextual()) {
      return name.asText();
    }
    JsonNode choice = request.path("tool_choice");
    return "tool".equals(choice.path("type").asText()) && choice.path("name").isTextual()
        ? choice.path("name").asText()
        : null;
  }

  @Override
  public JsonNode schemaOf(JsonNode request) {
    JsonNode tool = tool(request);
    JsonNode schema = tool == null ? null : tool.get("input_schema");
    return schema != null && schema.isObject() ? schema : null;
  }

  /** The forced tool ({@code tool_choice: {"type":"tool","name":…}}), else the first tool. */
  private static JsonNode tool(JsonNode request) {
    JsonNode tools = request.path("tools");
    if (!tools.isArray() || tools.size() == 0) {
      return null;
    }
    JsonNode choice = request.path("tool_choice");
    if ("tool".equals(choice.path("type").asText())) {
      String forced = choice.path("name").asText();
      for (JsonNode tool : tools) {
        if (forced.equals(tool.path("name").asText())) {
          return tool;
        }
      }
    }
    return tools.get(0);
  }

  @Override
  public WireResponse success(
      ReplyContext ctx, Outcome outcome, String text, SimulatedReply.Usage usage) {
    SimulatedReply.Usage tokens = ctx.usage(text, usage);
    Block answer = block(ctx, outcome, text);
    ObjectNode body = message(ctx);
    ObjectNode block = body.putArray("content").addObject();
    if (answer.toolInput() != null) {
      toolUse(ctx, block, answer.toolName()).set("input", answer.toolInput());
    } else {
      block.put("type", "text");
      block.put("text", text);
    }
    body.put("stop_reason", answer.stopReason());
    body.putNull("stop_sequence");
    body.set("usage", usage(tokens, tokens.outputTokens()));
    return WireResponse.json(200, headers(ctx, false), body);
  }

  /** One {@code tool_use} block per call ({@code input} parsed, {@code {}} when not an object), {@code stop_reason "tool_use"}. */
  @Override
  public WireResponse toolCalls(ReplyContext ctx, List<ScriptedToolCall> calls, SimulatedReply.Usage usage) {
    StringBuilder all = new StringBuilder();
    calls.forEach(c -> all.append(c.name()).append(c.argumentsJson()));
    SimulatedReply.Usage tokens = ctx.usage(all.toString(), usage);
    ObjectNode body = message(ctx);
    com.fasterxml.jackson.databind.node.ArrayNode content = body.putArray("content");
    for (ScriptedToolCall call : calls) {
      JsonNode input = parseObject(call.argumentsJson());
      toolUse(ctx, content.addObject(), call.name()).set("input", input != null ? input : NODES.objectNode());
    }
    body.put("stop_reason", "tool_use");
    body.putNull("stop_sequence");
    body.set("usage", usage(tokens, tokens.outputTokens()));
    return WireResponse.json(200, headers(ctx, false), body);
  }

  /**
   * {@code event: NAME} + {@code data: {json}} events: {@code message_start} (with the input
   * usage), {@code content_block_start} (a {@code tool_use} block with {@code "input": {}}, or a
   * {@code text} block), a {@code ping}, one {@code content_block_delta} per delta ({@code
   * input_json_delta} or {@code text_delta}), {@code content_block_stop}, {@code message_delta}
   * (stop reason, cumulative output tokens) and {@code message_stop}.
   */
  @Override
  public EventStream stream(
      ReplyContext ctx, Outcome outcome, String text, SimulatedReply.Usage usage, int chunkSize) {
    SimulatedReply.Usage tokens = ctx.usage(text, usage);
    Block answer = block(ctx, outcome, text);

    ObjectNode start = NODES.objectNode().put("type", "message_start");
    ObjectNode message = message(ctx);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", usage(tokens, 1));
    start.set("message", message);
    ObjectNode blockStart = NODES.objectNode().put("type", "content_block_start").put("index", 0);
    ObjectNode block = blockStart.putObject("content_block");
    if (answer.toolInput() != null) {
      toolUse(ctx, block, answer.toolName()).putObject("input");
    } else {
      block.put("type", "text").put("text", "");
    }
    List<String> opening =
        List.of(
            event("message_start", start),
            event("content_block_start", blockStart),
            event("ping", NODES.objectNode().put("type", "ping")));

    List<String> deltas = new ArrayList<>();
    for (String piece : ProviderWire.deltas(text, chunkSize)) {
      ObjectNode delta = NODES.objectNode().put("type", "content_block_delta").put("index", 0);
      if (answer.toolInput() != null) {
        delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
      } else {
        delta.putObject("delta").put("type", "text_delta").put("text", piece);
      }
      deltas.add(event("content_block_delta", delta));
    }

    ObjectNode messageDelta = NODES.objectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", answer.stopReason()).putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", tokens.outputTokens());
    List<String> closing =
        List.of(
            event("content_block_stop", NODES.objectNode().put("type", "content_block_stop").put("index", 0)),
            event("message_delta", messageDelta),
            event("message_stop", NODES.objectNode().put("type", "message_stop")));
    return new EventStream(headers(ctx, false), opening, deltas, closing);
  }

  /** {@code event: error} on the HTTP 200 stream, e.g. {@code overloaded_error}. */
  @Override
  public String streamError(ReplyContext ctx, String errorType) {
    ObjectNode body = NODES.objectNode().put("type", "error");
    body.putObject("error")
        .put("type", errorType)
        .put("message", ProviderWire.streamErrorMessage(errorType));
    return event("error", body);
  }

  private static String event(String name, JsonNode data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  /** How an outcome is answered: a tool_use block (an object answer) or a text block. */
  private record Block(JsonNode toolInput, String toolName, String stopReason) {}

  private Block block(ReplyContext ctx, Outcome outcome, String text) {
    JsonNode toolInput = outcome == Outcome.ANSWER ? parseObject(text) : null;
    if (toolInput != null) {
      String task = ctx.request() == null ? null : taskOf(ctx.request());
      return new Block(toolInput, task != null ? task : DEFAULT_TOOL, "tool_use");
    }
    String stopReason =
        outcome == Outcome.REFUSAL
            ? "refusal"
            : outcome == Outcome.TRUNCATED ? "max_tokens" : "end_turn";
    return new Block(null, null, stopReason);
  }

  /** The message envelope: id, type, role, model. */
  private static ObjectNode message(ReplyContext ctx) {
    ObjectNode body = NODES.objectNode();
    body.put("id", "msg_01" + ctx.randomId(22));
    body.put("type", "message");
    body.put("role", "assistant");
    body.put("model", ctx.model("claude-sonnet-4-5"));
    return body;
  }

  /** The usage object; {@code outputTokens} is 1 in {@code message_start}, as the service sends. */
  private static ObjectNode usage(SimulatedReply.Usage tokens, int outputTokens) {
    ObjectNode u = NODES.objectNode();
    // Anthropic counts only the tokens after the last cache breakpoint as input_tokens
    u.put("input_tokens", tokens.estimated()
        ? Math.max(0, tokens.inputTokens() - tokens.cachedInputTokens() - tokens.cacheWriteTokens())
        : tokens.inputTokens());
    u.put("cache_creation_input_tokens", tokens.cacheWriteTokens());
    u.put("cache_read_input_tokens", tokens.cachedInputTokens());
    u.put("output_tokens", outputTokens);
    u.put("service_tier", "standard");
    return u;
  }

  private static ObjectNode toolUse(ReplyContext ctx, ObjectNode block, String name) {
    return block.put("type", "tool_use").put("id", "toolu_01" + ctx.randomId(22)).put("name", name);
  }

  private static JsonNode parseObject(String text) {
    try {
      JsonNode node = WireResponse.MAPPER.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  @Override
  public WireResponse error(ReplyContext ctx, SimulatedReply.ErrorSpec spec) {
    switch (spec.flavor()) {
      case CUSTOM:
        return errorResponse(ctx, spec.status(), spec.type(), spec.message(), spec.code(), false);
      case QUOTA_EXHAUSTED:
        return errorResponse(
            ctx,
            429,
            "rate_limit_error",
            "You have reached your specified workspace API usage limits. You will regain access"
                + " when the limit resets or is raised.",
            "enforced_spend_limit_reached",
            false);
      case OVERLOADED:
        return errorResponse(ctx, 529, "overloaded_error", "Overloaded", null, false);
      case CONTEXT_TOO_LONG:
        return errorResponse(
            ctx, 400, "invalid_request_error", "prompt is too long: 215000 tokens > 200000 maximum", null, false);
      default:
        break;
    }
    int status = spec.status();
    String type;
    String message;
    switch (status) {
      case 400:
        type = "invalid_request_error";
        message = "Invalid request (simulated by llmtask-testkit).";
        break;
      case 401:
        type = "authentication_error";
        message = "invalid x-api-key";
        break;
      case 402:
        type = "billing_error";
        message = "Your credit balance is too low to access the Anthropic API.";
        break;
      case 403:
        type = "permission_error";
        message = "Your API key does not have permission to use the specified resource.";
        break;
      case 404:
        type = "not_found_error";
        message = "model: " + ctx.model("unknown");
        break;
      case 408:
      case 504:
        type = "timeout_error";
        message = "Request timed out.";
        break;
      case 409:
        type = "conflict_error";
        message = "The request conflicts with another request.";
        break;
      case 413:
        type = "request_too_large";
        message = "Request exceeds the maximum allowed number of bytes.";
        break;
      case 429:
        type = "rate_limit_error";
        message =
            "This request would exceed the rate limit for your organization of "
                + REQUEST_LIMIT
                + " requests per minute. Please try again later.";
        break;
      case 529:
        type = "overloaded_error";
        message = "Overloaded";
        break;
      default:
        if (status >= 500) {
          type = "api_error";
          message = "Internal server error";
        } else {
          type = "invalid_request_error";
          message = "Request failed with status " + status + " (simulated by llmtask-testkit).";
        }
    }
    return errorResponse(ctx, status, type, message, null, status == 429);
  }

  @Override
  public WireResponse notFound(ReplyContext ctx, String method, String path) {
    return errorResponse(ctx, 404, "not_found_error", "Not Found", null, false);
  }

  @Override
  public WireResponse badRequest(ReplyContext ctx, String message) {
    return errorResponse(ctx, 400, "invalid_request_error", message, null, false);
  }

  private WireResponse errorResponse(
      ReplyContext ctx, int status, String type, String message, String code, boolean limited) {
    Map<String, String> headers = headers(ctx, limited);
    ObjectNode body = NODES.objectNode();
    body.put("type", "error");
    ObjectNode error = body.putObject("error");
    error.put("type", type);
    error.put("message", message);
    if (code != null) {
      error.putObject("details").put("error_code", code);
    }
    body.put("request_id", headers.get("request-id"));
    return WireResponse.json(status, headers, body);
  }

  private static Map<String, String> headers(ReplyContext ctx, boolean limited) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("request-id", "req_011C" + ctx.randomId(20));
    String reset = Instant.now().plusSeconds(limited ? 60 : 1).truncatedTo(ChronoUnit.SECONDS)
        .toString();
    long remaining = limited ? 0 : Math.max(0, REQUEST_LIMIT - 1 - ctx.index() % REQUEST_LIMIT);
    h.put("anthropic-ratelimit-requests-limit", Integer.toString(REQUEST_LIMIT));
    h.put("anthropic-ratelimit-requests-remaining", Long.toString(remaining));
    h.put("anthropic-ratelimit-requests-reset", reset);
    h.put("anthropic-ratelimit-tokens-limit", Integer.toString(TOKEN_LIMIT));
    h.put("anthropic-ratelimit-tokens-remaining", Integer.toString(limited ? 0 : TOKEN_LIMIT));
    h.put("anthropic-ratelimit-tokens-reset", reset);
    return h;
  }
}
