package dev.llmtask.testkit;

import static dev.llmtask.testkit.TestHttp.anthropicBody;
import static dev.llmtask.testkit.TestHttp.json;
import static dev.llmtask.testkit.TestHttp.openAiBody;
import static dev.llmtask.testkit.TestHttp.postAnthropic;
import static dev.llmtask.testkit.TestHttp.postOpenAi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutingAndRecordingTest {

  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void urlsPointAtLoopback() {
    assertThat(sim.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + sim.port());
    assertThat(sim.openAiBaseUrl().toString()).isEqualTo("http://127.0.0.1:" + sim.port() + "/v1");
    assertThat(sim.anthropicBaseUrl()).isEqualTo(sim.baseUrl());
    assertThat(sim.port()).isPositive();
  }

  @Test
  void taskQueueBeatsGlobalQueueWhichBeatsDefault() throws Exception {
    sim.enqueue(SimulatedReply.json("{\"from\":\"global\"}"))
        .enqueue("decide_rotation", SimulatedReply.json("{\"from\":\"task-1\"}"))
        .enqueue("decide_rotation", SimulatedReply.json("{\"from\":\"task-2\"}"));
    String rotation = openAiBody("decide_rotation", Schemas.ROTATION);
    String summary = openAiBody("summarize_scan", Schemas.ROTATION);

    String first = content(postOpenAi(sim, rotation));
    String second = content(postOpenAi(sim, summary));
    String third = content(postOpenAi(sim, rotation));
    String fourth = content(postOpenAi(sim, rotation));

    assertThat(first).isEqualTo("{\"from\":\"task-1\"}");
    assertThat(second).isEqualTo("{\"from\":\"global\"}");
    assertThat(third).isEqualTo("{\"from\":\"task-2\"}");
    assertThat(SchemaChecker.violations(Schemas.ROTATION, json(fourth))).isEmpty();
    assertThat(sim.pendingReplies()).isZero();
  }

  @Test
  void globalQueueServesBothProvidersInOrder() throws Exception {
    sim.enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.status(503));

    HttpResponse<String> openAi = postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));
    HttpResponse<String> anthropic =
        postAnthropic(sim, anthropicBody("decide_rotation", Schemas.ROTATION));
    HttpResponse<String> thenDefault =
        postAnthropic(sim, anthropicBody("decide_rotation", Schemas.ROTATION));

    assertThat(openAi.statusCode()).isEqualTo(503);
    assertThat(anthropic.statusCode()).isEqualTo(503);
    assertThat(thenDefault.statusCode()).isEqualTo(200);
  }

  @Test
  void requestsAreRecordedWithRedactedSecrets() throws Exception {
    String openAiRequest = openAiBody("decide_rotation", Schemas.ROTATION);
    postOpenAi(sim, openAiRequest);
    postAnthropic(sim, anthropicBody("draft_reply", Schemas.ROTATION));

    assertThat(sim.requests()).hasSize(2);
    RecordedRequest openAi = sim.requests().get(0);
    assertThat(openAi.method()).isEqualTo("POST");
    assertThat(openAi.path()).isEqualTo("/v1/chat/completions");
    assertThat(openAi.provider()).isEqualTo("openai");
    assertThat(openAi.task()).isEqualTo("decide_rotation");
    assertThat(openAi.body()).isEqualTo(openAiRequest);
    assertThat(openAi.json().at("/response_format/json_schema/strict").asBoolean()).isTrue();
    assertThat(openAi.headers()).containsEntry("authorization", RecordedRequest.REDACTED);
    assertThat(openAi.header("Content-Type")).isEqualTo("application/json");
    assertThat(openAi.headers().keySet()).allSatisfy(name -> assertThat(name).isLowerCase());

    RecordedRequest anthropic = sim.requests("draft_reply").get(0);
    assertThat(anthropic.provider()).isEqualTo("anthropic");
    assertThat(anthropic.path()).isEqualTo("/v1/messages");
    assertThat(anthropic.headers())
        .containsEntry("x-api-key", RecordedRequest.REDACTED)
        .containsEntry("anthropic-version", "2023-06-01");
    assertThat(anthropic.receivedNanos()).isGreaterThan(openAi.receivedNanos());
    assertThat(anthropic.millisSince(openAi)).isPositive();
    assertThat(anthropic.receivedAt()).isAfterOrEqualTo(openAi.receivedAt());

    assertThat(sim.requests().toString())
        .doesNotContain(TestHttp.OPENAI_KEY)
        .doesNotContain(TestHttp.ANTHROPIC_KEY);
    assertThat(sim.requests("summarize_scan")).isEmpty();
  }

  @Test
  void recordingsAreSnapshotsAndImmutable() throws Exception {
    postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));
    var snapshot = sim.requests();
    RecordedRequest recorded = snapshot.get(0);

    ((com.fasterxml.jackson.databind.node.ObjectNode) recorded.json()).put("model", "changed");
    postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));

    assertThat(snapshot).hasSize(1);
    assertThat(recorded.json().get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThatThrownBy(() -> snapshot.add(recorded)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> recorded.headers().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void resetClearsQueuesAndRecordings() throws Exception {
    sim.enqueue(SimulatedReply.status(500)).enqueue("decide_rotation", SimulatedReply.status(500));
    postOpenAi(sim, openAiBody("summarize_scan", Schemas.ROTATION));

    sim.reset();
    HttpResponse<String> after = postOpenAi(sim, openAiBody("decide_rotation", Schemas.ROTATION));

    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(sim.requests()).hasSize(1);
    assertThat(sim.pendingReplies()).isZero();
  }

  @Test
  void unknownRoutesGetProviderShaped404sAndDoNotConsumeReplies() throws Exception {
    sim.enqueue(SimulatedReply.status(500));

    HttpResponse<String> openAi =
        TestHttp.send(
            HttpRequest.newBuilder(URI.create(sim.openAiBaseUrl() + "/completions"))
                .header("authorization", "Bearer " + TestHttp.OPENAI_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<String> anthropic =
        TestHttp.send(
            HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/complete"))
                .header("x-api-key", TestHttp.ANTHROPIC_KEY)
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<String> get =
        TestHttp.send(HttpRequest.newBuilder(URI.create(sim.openAiBaseUrl() + "/chat/completions")).GET());

    OpenAiEndpointTest.assertError(openAi, 404, "invalid_request_error", null);
    assertThat(json(openAi.body()).at("/error/message").asText())
        .isEqualTo("Invalid URL (POST /v1/completions)");
    AnthropicEndpointTest.assertError(anthropic, 404, "not_found_error");
    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(sim.requests()).extracting(RecordedRequest::provider)
        .containsExactly("openai", "anthropic", "openai");
    assertThat(sim.pendingReplies()).isEqualTo(1);
  }

  @Test
  void repliesRejectNonsense() {
    assertThatThrownBy(() -> SimulatedReply.status(200)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedReply.generated().withDelay(java.time.Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedReply.generated().withUsage(-1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    SimulatedReply base = SimulatedReply.rateLimited();
    SimulatedReply withHeader = base.withHeader("Retry-After", "1");
    assertThat(withHeader.headers()).containsEntry("retry-after", "1");
    assertThat(base.headers()).as("with… returns a copy").isEmpty();
  }

  private static String content(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body()).at("/choices/0/message/content").asText();
  }
}
