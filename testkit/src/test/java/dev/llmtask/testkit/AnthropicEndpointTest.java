package dev.llmtask.testkit;

import static dev.llmtask.testkit.TestHttp.anthropicBody;
import static dev.llmtask.testkit.TestHttp.json;
import static dev.llmtask.testkit.TestHttp.postAnthropic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicEndpointTest {

  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void defaultAnswerIsASchemaValidToolUseWithTheRealResponseShape() throws Exception {
    String request = anthropicBody("decide_rotation", Schemas.REPRESENTATIVE);

    HttpResponse<String> response = postAnthropic(sim, request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("request-id")).get().asString().startsWith("req_");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = json(response.body());
    assertThat(body.get("id").asText()).startsWith("msg_");
    assertThat(body.get("type").asText()).isEqualTo("message");
    assertThat(body.get("role").asText()).isEqualTo("assistant");
    assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(body.get("stop_sequence").isNull()).isTrue();
    assertThat(body.get("content")).hasSize(1);
    JsonNode block = body.get("content").get(0);
    assertThat(block.get("type").asText()).isEqualTo("tool_use");
    assertThat(block.get("id").asText()).startsWith("toolu_");
    assertThat(block.get("name").asText()).isEqualTo("decide_rotation");
    assertThat(SchemaChecker.violations(Schemas.REPRESENTATIVE, block.get("input"))).isEmpty();

    JsonNode usage = body.get("usage");
    assertThat(usage.get("input_tokens").asInt()).isEqualTo(request.length() / 4);
    assertThat(usage.get("output_tokens").asInt())
        .isEqualTo(block.get("input").toString().length() / 4);
    assertThat(usage.get("cache_creation_input_tokens").asInt()).isZero();
    assertThat(usage.get("cache_read_input_tokens").asInt()).isZero();
  }

  @Test
  void forcedToolWinsOverTheFirstTool() throws Exception {
    JsonNode request = json(anthropicBody("decide_rotation", Schemas.ROTATION));
    com.fasterxml.jackson.databind.node.ObjectNode decoy =
        ((com.fasterxml.jackson.databind.node.ArrayNode) request.get("tools")).insertObject(0);
    decoy.put("name", "summarize_scan");
    decoy.set("input_schema", json("{\"type\":\"object\",\"properties\":{\"summary\":{\"type\":\"string\"}}}"));

    JsonNode block = json(postAnthropic(sim, request.toString()).body()).at("/content/0");

    assertThat(block.get("name").asText()).isEqualTo("decide_rotation");
    assertThat(SchemaChecker.violations(Schemas.ROTATION, block.get("input"))).isEmpty();
    assertThat(sim.requests().get(0).task()).isEqualTo("decide_rotation");
  }

  @Test
  void scriptedObjectIsToolInputAndNonObjectIsATextBlock() throws Exception {
    sim.enqueue(SimulatedReply.json("{\"decision\":\"eligible\"}").withUsage(250, 80, 100))
        .enqueue(SimulatedReply.json("Sure! The answer is eligible."));
    String request = anthropicBody("decide_rotation", Schemas.ROTATION);

    JsonNode tool = json(postAnthropic(sim, request).body());
    JsonNode text = json(postAnthropic(sim, request).body());

    assertThat(tool.at("/content/0/input")).isEqualTo(json("{\"decision\":\"eligible\"}"));
    assertThat(tool.at("/usage/input_tokens").asInt()).isEqualTo(250);
    assertThat(tool.at("/usage/output_tokens").asInt()).isEqualTo(80);
    assertThat(tool.at("/usage/cache_read_input_tokens").asInt()).isEqualTo(100);
    assertThat(text.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(text.at("/content/0/text").asText()).isEqualTo("Sure! The answer is eligible.");
    assertThat(text.get("stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void refusalAndTruncationShapes() throws Exception {
    sim.enqueue(SimulatedReply.refusal("I can't help with that."))
        .enqueue(SimulatedReply.truncated("{\"decision\":\"elig"));
    String request = anthropicBody("decide_rotation", Schemas.ROTATION);

    JsonNode refusal = json(postAnthropic(sim, request).body());
    JsonNode truncated = json(postAnthropic(sim, request).body());

    assertThat(refusal.get("stop_reason").asText()).isEqualTo("refusal");
    assertThat(refusal.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(refusal.at("/content/0/text").asText()).isEqualTo("I can't help with that.");
    assertThat(truncated.get("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(truncated.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(truncated.at("/content/0/text").asText()).isEqualTo("{\"decision\":\"elig");
  }

  @Test
  void statusRepliesCarryAnthropicErrorBodies() throws Exception {
    int[] statuses = {400, 401, 402, 403, 404, 409, 413, 429, 500, 504, 529};
    String[] types = {
      "invalid_request_error", "authentication_error", "billing_error", "permission_error",
      "not_found_error", "conflict_error", "request_too_large", "rate_limit_error", "api_error",
      "timeout_error", "overloaded_error"
    };
    for (int status : statuses) {
      sim.enqueue(SimulatedReply.status(status));
    }
    String request = anthropicBody("decide_rotation", Schemas.ROTATION);

    for (int i = 0; i < statuses.length; i++) {
      HttpResponse<String> response = postAnthropic(sim, request);
      assertError(response, statuses[i], types[i]);
      assertThat(response.headers().firstValue("retry-after")).isEmpty();
    }
  }

  @Test
  void quotaOverloadAndCustomErrors() throws Exception {
    sim.enqueue(SimulatedReply.quotaExhausted())
        .enqueue(SimulatedReply.overloaded().withHeader("x-should-retry", "true"))
        .enqueue(SimulatedReply.rateLimited().withHeader("retry-after", "2"))
        .enqueue(SimulatedReply.error(400, "invalid_request_error", null, "max_tokens: required"));
    String request = anthropicBody("decide_rotation", Schemas.ROTATION);

    HttpResponse<String> quota = postAnthropic(sim, request);
    HttpResponse<String> overloaded = postAnthropic(sim, request);
    HttpResponse<String> limited = postAnthropic(sim, request);
    HttpResponse<String> custom = postAnthropic(sim, request);

    assertError(quota, 429, "rate_limit_error");
    assertThat(json(quota.body()).at("/error/details/error_code").asText())
        .isEqualTo("enforced_spend_limit_reached");
    assertThat(quota.headers().firstValue("retry-after")).isEmpty();
    assertError(overloaded, 529, "overloaded_error");
    assertThat(overloaded.headers().firstValue("x-should-retry")).hasValue("true");
    assertError(limited, 429, "rate_limit_error");
    assertThat(json(limited.body()).at("/error/details").isMissingNode()).isTrue();
    assertThat(limited.headers().firstValue("retry-after")).hasValue("2");
    assertError(custom, 400, "invalid_request_error");
    assertThat(json(custom.body()).at("/error/message").asText()).isEqualTo("max_tokens: required");
  }

  static void assertError(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response.body());
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo(type);
    assertThat(body.at("/error/message").asText()).isNotBlank();
    String requestId = response.headers().firstValue("request-id").orElseThrow();
    assertThat(body.get("request_id").asText()).isEqualTo(requestId).startsWith("req_");
  }
}
