package dev.llmtask.testkit;

import static dev.llmtask.testkit.TestHttp.json;
import static dev.llmtask.testkit.TestHttp.openAiBody;
import static dev.llmtask.testkit.TestHttp.postOpenAi;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiEndpointTest {

  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void defaultAnswerIsSchemaValidWithTheRealResponseShape() throws Exception {
    String request = openAiBody("decide_rotation", Schemas.REPRESENTATIVE);

    HttpResponse<String> response = postOpenAi(sim, request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("x-request-id")).get().asString().startsWith("req_");
    assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isPresent();
    assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
    assertThat(response.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
    assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();

    JsonNode body = json(response.body());
    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("created").isIntegralNumber()).isTrue();
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("index").asInt()).isZero();
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.get("logprobs").isNull()).isTrue();
    assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
    assertThat(choice.get("message").get("refusal").isNull()).isTrue();

    JsonNode answer = json(choice.get("message").get("content").asText());
    assertThat(SchemaChecker.violations(Schemas.REPRESENTATIVE, answer)).isEmpty();

    JsonNode usage = body.get("usage");
    String content = choice.get("message").get("content").asText();
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(request.length() / 4);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(content.length() / 4);
    assertThat(usage.get("total_tokens").asInt())
        .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt()).isZero();
    assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asInt()).isZero();
  }

  @Test
  void defaultAnswerIsDeterministicForSeedAndRequest() throws Exception {
    String request = openAiBody("decide_rotation", Schemas.REPRESENTATIVE);
    String first = content(postOpenAi(sim, request));
    String second = content(postOpenAi(sim, request));

    String otherSeed;
    try (LlmSimulator other = LlmSimulator.start(43)) {
      otherSeed = content(postOpenAi(other, request));
    }

    assertThat(second).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void scriptedJsonIsSentVerbatimWithScriptedUsage() throws Exception {
    String wrong = "{\"decision\":\"eligible\",\"rotation_window_days\":90,\"source_line_ids\":[\"P-7\"]}";
    sim.enqueue(SimulatedReply.json(wrong).withUsage(250, 80, 64));

    JsonNode body = json(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).body());

    assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(wrong);
    assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(250);
    assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(80);
    assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(330);
    assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(64);
  }

  @Test
  void refusalHasNullContentAndTheRefusalText() throws Exception {
    sim.enqueue(SimulatedReply.refusal("I can't help with that."));

    JsonNode message =
        json(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).body())
            .at("/choices/0");

    assertThat(message.at("/message/content").isNull()).isTrue();
    assertThat(message.at("/message/refusal").asText()).isEqualTo("I can't help with that.");
    assertThat(message.get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void truncatedAnswerEndsWithLength() throws Exception {
    sim.enqueue(SimulatedReply.truncated("{\"decision\":\"elig"));

    JsonNode choice =
        json(postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION)).body())
            .at("/choices/0");

    assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
    assertThat(choice.at("/message/content").asText()).isEqualTo("{\"decision\":\"elig");
  }

  @Test
  void statusRepliesCarryOpenAiErrorBodies() throws Exception {
    sim.enqueue(SimulatedReply.status(400))
        .enqueue(SimulatedReply.status(401))
        .enqueue(SimulatedReply.rateLimited().withHeader("retry-after-ms", "150"))
        .enqueue(SimulatedReply.quotaExhausted())
        .enqueue(SimulatedReply.status(500))
        .enqueue(SimulatedReply.overloaded())
        .enqueue(SimulatedReply.error(418, "teapot_error", "short_and_stout", "I'm a teapot"));
    String request = openAiBody("decide_rotation", Schemas.ROTATION);

    HttpResponse<String> badRequest = postOpenAi(sim, request);
    HttpResponse<String> auth = postOpenAi(sim, request);
    HttpResponse<String> limited = postOpenAi(sim, request);
    HttpResponse<String> quota = postOpenAi(sim, request);
    HttpResponse<String> server = postOpenAi(sim, request);
    HttpResponse<String> overloaded = postOpenAi(sim, request);
    HttpResponse<String> custom = postOpenAi(sim, request);

    assertError(badRequest, 400, "invalid_request_error", null);
    assertError(auth, 401, "invalid_request_error", "invalid_api_key");
    assertError(limited, 429, "requests", "rate_limit_exceeded");
    assertThat(json(limited.body()).at("/error/message").asText()).contains("Please try again in");
    assertThat(limited.headers().firstValue("retry-after-ms")).hasValue("150");
    assertThat(limited.headers().firstValue("retry-after")).isEmpty();
    assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertError(quota, 429, "insufficient_quota", "insufficient_quota");
    assertThat(quota.headers().firstValue("retry-after-ms")).isEmpty();
    assertError(server, 500, "server_error", null);
    assertError(overloaded, 503, "server_error", null);
    assertError(custom, 418, "teapot_error", "short_and_stout");
    assertThat(json(custom.body()).at("/error/message").asText()).isEqualTo("I'm a teapot");
    for (HttpResponse<String> r : List.of(badRequest, auth, limited, quota, server, custom)) {
      assertThat(r.headers().firstValue("x-request-id")).isPresent();
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }
  }

  @Test
  void requestWithoutSchemaGetsPlainTextAndUnparsableBodyA400() throws Exception {
    HttpResponse<String> plain = postOpenAi(sim, openAiBody(null, null));
    HttpResponse<String> broken = postOpenAi(sim, "{\"model\": ");

    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(json(plain.body()).at("/choices/0/message/content").asText()).isNotBlank();
    assertError(broken, 400, "invalid_request_error", null);
  }

  static void assertError(HttpResponse<String> response, int status, String type, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode error = json(response.body()).get("error");
    assertThat(error).as(response.body()).isNotNull();
    assertThat(error.get("type").asText()).isEqualTo(type);
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.has("param")).isTrue();
    assertThat(error.get("param").isNull()).isTrue();
    if (code == null) {
      assertThat(error.get("code").isNull()).as(response.body()).isTrue();
    } else {
      assertThat(error.get("code").asText()).isEqualTo(code);
    }
  }

  private static String content(HttpResponse<String> response) {
    return json(response.body()).at("/choices/0/message/content").asText();
  }
}
