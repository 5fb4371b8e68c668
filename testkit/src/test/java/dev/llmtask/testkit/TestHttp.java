package dev.llmtask.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real loopback HTTP calls and request bodies shaped like the official clients send them. */
final class TestHttp {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String OPENAI_KEY = "sk-test-DO-NOT-LEAK-1234567890";
  static final String ANTHROPIC_KEY = "ant-test-key-DO-NOT-LEAK-0987654321";

  private TestHttp() {}

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String openAiBody(String task, JsonNode schema) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", "gpt-4o-mini");
    ObjectNode system = body.putArray("messages").addObject();
    system.put("role", "system");
    system.put("content", "Answer only from the policy below.\nP-7: stale keys rotate within 30 days.");
    ObjectNode user = ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("messages")).addObject();
    user.put("role", "user");
    user.put("content", "Can I rotate the stale service-account key?");
    if (task != null) {
      ObjectNode format = body.putObject("response_format");
      format.put("type", "json_schema");
      ObjectNode js = format.putObject("json_schema");
      js.put("name", task);
      js.put("strict", true);
      js.set("schema", schema);
    }
    return body.toString();
  }

  static String anthropicBody(String task, JsonNode schema) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", "claude-sonnet-4-5");
    body.put("max_tokens", 1024);
    body.put("system", "Answer only from the policy below.\nP-7: stale keys rotate within 30 days.");
    ObjectNode user = body.putArray("messages").addObject();
    user.put("role", "user");
    user.put("content", "Can I rotate the stale service-account key?");
    if (task != null) {
      ObjectNode tool = body.putArray("tools").addObject();
      tool.put("name", task);
      tool.put("description", "Emit the result.");
      tool.set("input_schema", schema);
      ObjectNode choice = body.putObject("tool_choice");
      choice.put("type", "tool");
      choice.put("name", task);
    }
    return body.toString();
  }

  static HttpResponse<String> postOpenAi(LlmSimulator sim, String body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(sim.openAiBaseUrl() + "/chat/completions"))
            .header("authorization", "Bearer " + OPENAI_KEY)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  static HttpResponse<String> postAnthropic(LlmSimulator sim, String body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(sim.anthropicBaseUrl() + "/v1/messages"))
            .header("x-api-key", ANTHROPIC_KEY)
            .header("anthropic-version", "2023-06-01")
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return CLIENT.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
