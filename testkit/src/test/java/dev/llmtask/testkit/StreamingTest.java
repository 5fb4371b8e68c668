package dev.llmtask.testkit;

import static dev.llmtask.testkit.Sse.anthropic;
import static dev.llmtask.testkit.Sse.anthropicStreamBody;
import static dev.llmtask.testkit.Sse.openAi;
import static dev.llmtask.testkit.Sse.openAiStreamBody;
import static dev.llmtask.testkit.Sse.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingTest {

  static final String ANSWER =
      "{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}";

  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void close() {
    sim.close();
  }

  // ---- OpenAI ---------------------------------------------------------------------------------

  @Test
  void openAiStreamsChunksThenFinishThenUsageThenDone() throws Exception {
    sim.enqueue(SimulatedReply.json(ANSWER).withChunkSize(10).withUsage(120, 25, 64));

    Sse.Read read = read(openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, true)));

    assertThat(read.response().statusCode()).isEqualTo(200);
    assertThat(read.response().headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    assertThat(read.response().headers().firstValue("x-request-id")).isPresent();
    assertThat(read.brokenOff()).isFalse();
    assertThat(read.text()).doesNotContain("event:").endsWith("data: [DONE]\n\n");
    List<Sse.Event> events = read.events();
    assertThat(events).allSatisfy(e -> assertThat(e.name()).isNull());
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonNode> chunks =
        events.subList(0, events.size() - 1).stream().map(Sse.Event::json).collect(Collectors.toList());

    assertThat(chunks).allSatisfy(c -> assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk"));
    assertThat(chunks).extracting(c -> c.get("id").asText()).containsOnly(chunks.get(0).get("id").asText());
    JsonNode first = chunks.get(0).at("/choices/0/delta");
    assertThat(first.get("role").asText()).isEqualTo("assistant");
    assertThat(first.get("content").asText()).isEmpty();
    // 71 chars in deltas of 10: 8 content chunks between the role chunk and the finish chunk
    List<JsonNode> content = chunks.subList(1, chunks.size() - 2);
    assertThat(content).hasSize(8);
    assertThat(content).allSatisfy(c -> assertThat(c.at("/choices/0/finish_reason").isNull()).isTrue());
    assertThat(content.stream().map(c -> c.at("/choices/0/delta/content").asText()).collect(Collectors.joining()))
        .isEqualTo(ANSWER);
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(finish.at("/choices/0/delta").size()).isZero();
    assertThat(chunks.subList(0, chunks.size() - 1))
        .allSatisfy(c -> assertThat(c.get("usage").isNull()).isTrue());
    JsonNode usage = chunks.get(chunks.size() - 1);
    assertThat(usage.get("choices").size()).isZero();
    assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(120);
    assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(25);
    assertThat(usage.at("/usage/total_tokens").asInt()).isEqualTo(145);
    assertThat(usage.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(64);
    assertThat(sim.requests().get(0).streamed()).isTrue();
  }

  @Test
  void openAiStreamWithoutIncludeUsageHasNoUsage() throws Exception {
    Sse.Read read = read(openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, false)));

    List<Sse.Event> events = read.events();
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonNode> chunks =
        events.subList(0, events.size() - 1).stream().map(Sse.Event::json).collect(Collectors.toList());
    assertThat(chunks).allSatisfy(c -> assertThat(c.has("usage")).isFalse());
    assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    String generated =
        chunks.stream().map(c -> c.at("/choices/0/delta/content").asText()).collect(Collectors.joining());
    assertThat(SchemaChecker.violations(Schemas.ROTATION, TestHttp.json(generated))).isEmpty();
    assertThat(sim.requests().get(0).streamed()).isTrue();
  }

  @Test
  void openAiRefusalStreamsRefusalDeltasAndTruncationFinishesWithLength() throws Exception {
    sim.enqueue(SimulatedReply.refusal("I can't help with rotating that key.").withChunkSize(8))
        .enqueue(SimulatedReply.truncated("{\"decision\":\"elig").withChunkSize(8));
    String body = openAiStreamBody("decide_rotation", Schemas.ROTATION, true);

    List<JsonNode> refusal = chunks(read(openAi(sim, body)));
    List<JsonNode> truncated = chunks(read(openAi(sim, body)));

    assertThat(refusal.get(0).at("/choices/0/delta/refusal").asText()).isEmpty();
    assertThat(refusal.get(0).at("/choices/0/delta/content").isNull()).isTrue();
    assertThat(joined(refusal, "/choices/0/delta/refusal")).isEqualTo("I can't help with rotating that key.");
    assertThat(joined(refusal, "/choices/0/delta/content")).isEmpty();
    assertThat(refusal.get(refusal.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(joined(truncated, "/choices/0/delta/content")).isEqualTo("{\"decision\":\"elig");
    assertThat(truncated.get(truncated.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("length");
  }

  // ---- Anthropic ------------------------------------------------------------------------------

  @Test
  void anthropicStreamsToolUseEventsInTheServiceOrder() throws Exception {
    sim.enqueue(SimulatedReply.json(ANSWER).withChunkSize(20).withUsage(300, 40, 0));

    Sse.Read read = read(anthropic(sim, anthropicStreamBody("decide_rotation", Schemas.ROTATION)));

    assertThat(read.response().statusCode()).isEqualTo(200);
    assertThat(read.response().headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    assertThat(read.response().headers().firstValue("request-id")).isPresent();
    assertThat(read.brokenOff()).isFalse();
    List<Sse.Event> events = read.events();
    assertThat(events)
        .extracting(Sse.Event::name)
        .containsExactly(
            "message_start", "content_block_start", "ping",
            "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
            "content_block_stop", "message_delta", "message_stop");
    assertThat(events).allSatisfy(e -> assertThat(e.json().get("type").asText()).isEqualTo(e.name()));

    JsonNode start = events.get(0).json().get("message");
    assertThat(start.get("role").asText()).isEqualTo("assistant");
    assertThat(start.get("content").size()).isZero();
    assertThat(start.get("stop_reason").isNull()).isTrue();
    assertThat(start.at("/usage/input_tokens").asInt()).isEqualTo(300);
    JsonNode block = events.get(1).json();
    assertThat(block.get("index").asInt()).isZero();
    assertThat(block.at("/content_block/type").asText()).isEqualTo("tool_use");
    assertThat(block.at("/content_block/name").asText()).isEqualTo("decide_rotation");
    assertThat(block.at("/content_block/id").asText()).startsWith("toolu_");
    assertThat(block.at("/content_block/input").isObject()).isTrue();
    assertThat(block.at("/content_block/input").size()).isZero();
    StringBuilder partialJson = new StringBuilder();
    for (Sse.Event delta : events.subList(3, 7)) {
      assertThat(delta.json().at("/delta/type").asText()).isEqualTo("input_json_delta");
      partialJson.append(delta.json().at("/delta/partial_json").asText());
    }
    assertThat(TestHttp.json(partialJson.toString())).isEqualTo(TestHttp.json(ANSWER));
    JsonNode messageDelta = events.get(8).json();
    assertThat(messageDelta.at("/delta/stop_reason").asText()).isEqualTo("tool_use");
    assertThat(messageDelta.at("/usage/output_tokens").asInt()).isEqualTo(40);
  }

  @Test
  void anthropicRefusalAndTruncationStreamTextDeltas() throws Exception {
    sim.enqueue(SimulatedReply.refusal("I can't help with that.").withChunkSize(5))
        .enqueue(SimulatedReply.truncated("{\"decision\":\"elig").withChunkSize(5));
    String body = anthropicStreamBody("decide_rotation", Schemas.ROTATION);

    List<Sse.Event> refusal = read(anthropic(sim, body)).events();
    List<Sse.Event> truncated = read(anthropic(sim, body)).events();

    assertThat(refusal.get(1).json().at("/content_block/type").asText()).isEqualTo("text");
    assertThat(textOf(refusal)).isEqualTo("I can't help with that.");
    assertThat(stopReason(refusal)).isEqualTo("refusal");
    assertThat(textOf(truncated)).isEqualTo("{\"decision\":\"elig");
    assertThat(stopReason(truncated)).isEqualTo("max_tokens");
  }

  @Test
  void generatedAnswersStreamAsSchemaValidObjects() throws Exception {
    List<Sse.Event> events = read(anthropic(sim, anthropicStreamBody("decide_rotation", Schemas.REPRESENTATIVE))).events();

    String partialJson =
        events.stream()
            .filter(e -> "content_block_delta".equals(e.name()))
            .map(e -> e.json().at("/delta/partial_json").asText())
            .collect(Collectors.joining());
    assertThat(SchemaChecker.violations(Schemas.REPRESENTATIVE, TestHttp.json(partialJson))).isEmpty();
    assertThat(stopReason(events)).isEqualTo("tool_use");
  }

  // ---- errors and stream faults ---------------------------------------------------------------

  @Test
  void errorStatusesAreSentAsPlainHttpErrorsBeforeAnyEvent() throws Exception {
    sim.enqueue(SimulatedReply.rateLimited().withHeader("retry-after-ms", "200"))
        .enqueue(SimulatedReply.overloaded());

    Sse.Read openAi = read(openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, true)));
    Sse.Read anthropic = read(anthropic(sim, anthropicStreamBody("decide_rotation", Schemas.ROTATION)));

    assertThat(openAi.response().statusCode()).isEqualTo(429);
    assertThat(openAi.response().headers().firstValue("content-type")).hasValue("application/json");
    assertThat(openAi.response().headers().firstValue("retry-after-ms")).hasValue("200");
    assertThat(TestHttp.json(openAi.text()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(anthropic.response().statusCode()).isEqualTo(529);
    assertThat(TestHttp.json(anthropic.text()).at("/error/type").asText()).isEqualTo("overloaded_error");
  }

  @Test
  void cutStreamSendsSomeDeltasThenDropsTheConnection() throws Exception {
    sim.enqueue(SimulatedReply.cutStream(ANSWER, 3).withChunkSize(10))
        .enqueue(SimulatedReply.cutStream(ANSWER, 2).withChunkSize(10));

    Sse.Read openAi = read(openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, true)));
    Sse.Read anthropic = read(anthropic(sim, anthropicStreamBody("decide_rotation", Schemas.ROTATION)));

    assertThat(openAi.response().statusCode()).isEqualTo(200);
    assertThat(openAi.brokenOff()).as("the connection closed midway").isTrue();
    List<JsonNode> chunks = openAi.events().stream().map(Sse.Event::json).collect(Collectors.toList());
    assertThat(chunks).hasSize(4); // the role chunk and 3 deltas: no finish, usage or [DONE]
    assertThat(joined(chunks, "/choices/0/delta/content")).isEqualTo(ANSWER.substring(0, 30));
    assertThat(openAi.text()).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");

    assertThat(anthropic.brokenOff()).isTrue();
    assertThat(anthropic.events())
        .extracting(Sse.Event::name)
        .containsExactly("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta");
  }

  @Test
  void truncatedBodyOnAStreamCutsItAfterHalfTheDeltas() throws Exception {
    sim.enqueue(SimulatedReply.truncatedBody().withChunkSize(4));

    Sse.Read read = read(anthropic(sim, anthropicStreamBody("decide_rotation", Schemas.ROTATION)));

    assertThat(read.brokenOff()).isTrue();
    assertThat(read.events()).extracting(Sse.Event::name).doesNotContain("message_stop").contains("content_block_delta");
  }

  @Test
  void stalledStreamGoesSilentForTheStallThenCloses() throws Exception {
    sim.enqueue(SimulatedReply.stalledStream(ANSWER, 2, Duration.ofMillis(600)).withChunkSize(10));

    HttpResponse<InputStream> response =
        TestHttp.CLIENT.send(
            openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, true)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    StringBuilder text = new StringBuilder();
    long lastDeltaAt = 0;
    long endedAt;
    boolean brokenOff = false;
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[256];
      for (int n; (n = in.read(buffer)) != -1; ) {
        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        if (Sse.parse(text.toString()).size() == 3) { // the role chunk and 2 deltas
          lastDeltaAt = lastDeltaAt == 0 ? System.nanoTime() : lastDeltaAt;
        }
      }
    } catch (java.io.IOException midway) {
      brokenOff = true;
    }
    endedAt = System.nanoTime();

    assertThat(lastDeltaAt).as("the two deltas arrived").isPositive();
    assertThat((endedAt - lastDeltaAt) / 1_000_000).as("silent for the stall").isGreaterThanOrEqualTo(550);
    assertThat(brokenOff).isTrue();
    assertThat(Sse.parse(text.toString())).hasSize(3);
  }

  @Test
  void streamErrorIsAnErrorEventOnTheHttp200() throws Exception {
    sim.enqueue(SimulatedReply.streamError(ANSWER, 2, "overloaded_error"))
        .enqueue(SimulatedReply.streamError(ANSWER, 1, "server_error"));

    Sse.Read anthropic = read(anthropic(sim, anthropicStreamBody("decide_rotation", Schemas.ROTATION)));
    Sse.Read openAi = read(openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, true)));

    assertThat(anthropic.response().statusCode()).isEqualTo(200);
    assertThat(anthropic.brokenOff()).isFalse();
    List<Sse.Event> events = anthropic.events();
    assertThat(events).extracting(Sse.Event::name).containsExactly(
        "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "error");
    JsonNode error = events.get(5).json();
    assertThat(error.get("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/type").asText()).isEqualTo("overloaded_error");
    assertThat(error.at("/error/message").asText()).isEqualTo("Overloaded");

    List<Sse.Event> chunks = openAi.events();
    assertThat(chunks).hasSize(3);
    JsonNode openAiError = chunks.get(2).json();
    assertThat(openAiError.at("/error/type").asText()).isEqualTo("server_error");
    assertThat(openAiError.at("/error/message").asText()).isNotBlank();
    assertThat(openAi.text()).doesNotContain("[DONE]");
  }

  @Test
  void streamFaultOnARequestThatDoesNotStreamIsAClear400() throws Exception {
    sim.enqueue(SimulatedReply.cutStream(ANSWER, 1));

    HttpResponse<String> response =
        TestHttp.postOpenAi(sim, TestHttp.openAiBody("decide_rotation", Schemas.ROTATION));

    OpenAiEndpointTest.assertError(response, 400, "invalid_request_error", null);
    assertThat(TestHttp.json(response.body()).at("/error/message").asText())
        .contains("stream fault", "\"stream\": true");
  }

  @Test
  void chunkDelaySpacesTheEventsOut() throws Exception {
    // 71 chars in deltas of 40: role chunk, 2 deltas, finish, usage, [DONE] = 5 pauses
    sim.enqueue(SimulatedReply.json(ANSWER).withChunkSize(40).withChunkDelay(Duration.ofMillis(100)));
    long start = System.nanoTime();

    Sse.Read read = read(openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, true)));

    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(500);
    assertThat(read.events()).hasSize(6);
  }

  // ---- a client that goes away ----------------------------------------------------------------

  @Test
  void closingAStreamEarlyIsNoticed() throws Exception {
    sim.enqueue(SimulatedReply.json(ANSWER).withChunkSize(2).withChunkDelay(Duration.ofMillis(20)));

    HttpResponse<InputStream> response =
        TestHttp.CLIENT.send(
            anthropic(sim, anthropicStreamBody("decide_rotation", Schemas.ROTATION)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    InputStream in = response.body();
    assertThat(in.read(new byte[64])).isPositive();
    in.close();

    assertThat(sim.awaitClosedStreams(1, Duration.ofSeconds(5))).isTrue();
    assertThat(sim.closedStreams()).isEqualTo(1);
  }

  @Test
  void closingDuringAStallIsNoticedWhenTheStallEnds() throws Exception {
    sim.enqueue(SimulatedReply.stalledStream(ANSWER, 1, Duration.ofMillis(300)));

    HttpResponse<InputStream> response =
        TestHttp.CLIENT.send(
            openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, true)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    response.body().close();

    assertThat(sim.awaitClosedStreams(1, Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void aStreamReadToTheEndIsNotCountedAsClosedEarly() throws Exception {
    read(openAi(sim, openAiStreamBody("decide_rotation", Schemas.ROTATION, true)));

    assertThat(sim.awaitClosedStreams(1, Duration.ofMillis(200))).isFalse();
    assertThat(sim.closedStreams()).isZero();
  }

  @Test
  void deltasNeverSplitASurrogatePair() {
    String text = "a\uD83D\uDD11b\uD83D\uDD11";

    assertThat(ProviderWire.deltas(text, 1)).containsExactly("a", "\uD83D\uDD11", "b", "\uD83D\uDD11");
    assertThat(ProviderWire.deltas(text, 2)).containsExactly("a", "\uD83D\uDD11", "b", "\uD83D\uDD11");
    assertThat(ProviderWire.deltas(text, 3)).containsExactly("a\uD83D\uDD11", "b\uD83D\uDD11");
    assertThat(ProviderWire.deltas("", 4)).isEmpty();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static List<JsonNode> chunks(Sse.Read read) {
    List<Sse.Event> events = read.events();
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    return events.subList(0, events.size() - 1).stream().map(Sse.Event::json).collect(Collectors.toList());
  }

  private static String joined(List<JsonNode> chunks, String pointer) {
    return chunks.stream()
        .map(c -> c.at(pointer))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .collect(Collectors.joining());
  }

  private static String textOf(List<Sse.Event> events) {
    return events.stream()
        .filter(e -> "content_block_delta".equals(e.name()))
        .peek(e -> assertThat(e.json().at("/delta/type").asText()).isEqualTo("text_delta"))
        .map(e -> e.json().at("/delta/text").asText())
        .collect(Collectors.joining());
  }

  private static String stopReason(List<Sse.Event> events) {
    return events.stream()
        .filter(e -> "message_delta".equals(e.name()))
        .findFirst()
        .orElseThrow()
        .json()
        .at("/delta/stop_reason")
        .asText();
  }
}
