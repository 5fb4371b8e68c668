package dev.llmtask.benchmarks.contenders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The baseline: what a careful developer writes by hand with {@link HttpClient} and Jackson — the same
 * request (prompts, strict schema, token cap) and the same record, with no retry, timeout budget,
 * validation or telemetry.
 */
public final class HandWrittenClient implements Contender {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClients.builder().build();
  private final URI endpoint;
  private final JsonNode schema;

  public HandWrittenClient(URI baseUrl) {
    this.endpoint = URI.create(baseUrl.toString().replaceFirst("/?$", "/chat/completions"));
    try {
      this.schema = JSON.readTree(Scenario.OPENAI_SCHEMA);
    } catch (IOException e) {
      throw new IllegalStateException("the scenario's schema is not JSON", e);
    }
  }

  @Override
  public String name() {
    return "hand-written HttpClient + Jackson (baseline)";
  }

  @Override
  public boolean async() {
    return false;
  }

  @Override
  public RotationDecision call() throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request(requestBody()), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " from " + endpoint);
    }
    return decode(response.body());
  }

  /** The request body, built as a user would: a Jackson tree per call. */
  byte[] requestBody() throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", Scenario.MODEL);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", Scenario.systemPrompt());
    messages.addObject().put("role", "user").put("content", Scenario.userPrompt());
    ObjectNode jsonSchema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
    jsonSchema.put("name", "decide_rotation").put("strict", true).set("schema", schema);
    body.put("max_completion_tokens", 4096);
    return JSON.writeValueAsBytes(body);
  }

  HttpRequest request(byte[] body) {
    return HttpRequest.newBuilder(endpoint)
        .timeout(HttpClients.REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + HttpClients.API_KEY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** {@code choices[0].message.content} of a completion, decoded into the record. */
  public static RotationDecision decode(byte[] completion) throws IOException {
    JsonNode content = JSON.readTree(completion).path("choices").path(0).path("message").path("content");
    if (!content.isTextual()) {
      throw new IOException("the completion has no message content");
    }
    return decodeAnswer(content.asText());
  }

  /** The answer text decoded into the record: the whole of the baseline's in-process work. */
  public static RotationDecision decodeAnswer(String answer) throws IOException {
    return JSON.readValue(answer, RotationDecision.class);
  }
}
