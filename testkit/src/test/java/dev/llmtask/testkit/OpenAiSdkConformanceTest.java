package dev.llmtask.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.Timeout;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) pointed at the simulator: it must
 * parse the simulator's answers, streams and error bodies, and classify and retry its faults as it
 * would the real service's.
 */
class OpenAiSdkConformanceTest {

  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void close() {
    sim.close();
  }

  private OpenAIClient client(int maxRetries) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(sim.openAiBaseUrl().toString())
        .apiKey(TestHttp.OPENAI_KEY)
        .maxRetries(maxRetries)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  static ChatCompletionCreateParams params(boolean includeUsage) {
    Map<String, Object> schema = TestHttp.MAPPER.convertValue(Schemas.ROTATION, Map.class);
    ResponseFormatJsonSchema.JsonSchema.Schema.Builder schemaValue =
        ResponseFormatJsonSchema.JsonSchema.Schema.builder();
    schema.forEach((k, v) -> schemaValue.putAdditionalProperty(k, JsonValue.from(v)));
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini")
            .addSystemMessage("Answer only from the policy below.\nP-7: stale keys rotate within 30 days.")
            .addUserMessage("Can I rotate the stale service-account key?")
            .responseFormat(
                ResponseFormatJsonSchema.builder()
                    .jsonSchema(
                        ResponseFormatJsonSchema.JsonSchema.builder()
                            .name("decide_rotation")
                            .strict(true)
                            .schema(schemaValue.build())
                            .build())
                    .build());
    if (includeUsage) {
      params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return params.build();
  }

  @Test
  void parsesACompletionAndItsUsage() {
    sim.enqueue(SimulatedReply.json(StreamingTest.ANSWER).withUsage(210, 24, 128));

    ChatCompletion completion = client(0).chat().completions().create(params(false));

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.message().content()).hasValue(StreamingTest.ANSWER);
    assertThat(choice.message().refusal()).isEmpty();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.id()).startsWith("chatcmpl-");
    assertThat(completion.model()).isEqualTo("gpt-4o-mini");
    assertThat(completion.usage()).hasValueSatisfying(usage -> {
      assertThat(usage.promptTokens()).isEqualTo(210);
      assertThat(usage.completionTokens()).isEqualTo(24);
      assertThat(usage.totalTokens()).isEqualTo(234);
      assertThat(usage.promptTokensDetails().flatMap(d -> d.cachedTokens())).hasValue(128L);
    });
    RecordedRequest request = sim.requests().get(0);
    assertThat(request.task()).isEqualTo("decide_rotation");
    assertThat(request.header("authorization")).isEqualTo(RecordedRequest.REDACTED);
    assertThat(request.json().at("/response_format/json_schema/schema")).isEqualTo(Schemas.ROTATION);
  }

  @Test
  void parsesAGeneratedAnswerARefusalAndATruncation() {
    sim.enqueue(SimulatedReply.generated())
        .enqueue(SimulatedReply.refusal("I can't help with that."))
        .enqueue(SimulatedReply.truncated("{\"decision\":\"elig"));
    OpenAIClient client = client(0);

    ChatCompletion generated = client.chat().completions().create(params(false));
    ChatCompletion refusal = client.chat().completions().create(params(false));
    ChatCompletion truncated = client.chat().completions().create(params(false));

    JsonNode answer = TestHttp.json(generated.choices().get(0).message().content().orElseThrow());
    assertThat(SchemaChecker.violations(Schemas.ROTATION, answer)).isEmpty();
    assertThat(refusal.choices().get(0).message().refusal()).hasValue("I can't help with that.");
    assertThat(refusal.choices().get(0).message().content()).isEmpty();
    assertThat(truncated.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(SimulatedReply.status(400), BadRequestException.class, "invalid_request_error"),
        Arguments.of(SimulatedReply.status(401), UnauthorizedException.class, "invalid_request_error"),
        Arguments.of(SimulatedReply.status(403), PermissionDeniedException.class, "invalid_request_error"),
        Arguments.of(SimulatedReply.status(404), NotFoundException.class, "invalid_request_error"),
        Arguments.of(SimulatedReply.status(422), UnprocessableEntityException.class, "invalid_request_error"),
        Arguments.of(SimulatedReply.rateLimited(), RateLimitException.class, "requests"),
        Arguments.of(SimulatedReply.quotaExhausted(), RateLimitException.class, "insufficient_quota"),
        Arguments.of(SimulatedReply.status(500), InternalServerException.class, "server_error"),
        Arguments.of(SimulatedReply.overloaded(), InternalServerException.class, "server_error"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void errorBodiesMapToTheSdkExceptions(
      SimulatedReply reply, Class<? extends OpenAIServiceException> type, String errorType) {
    sim.enqueue(reply);

    assertThatThrownBy(() -> client(0).chat().completions().create(params(false)))
        .isInstanceOf(type)
        .satisfies(e -> {
          OpenAIServiceException error = (OpenAIServiceException) e;
          assertThat(error.type()).hasValue(errorType);
          assertThat(error.headers().values("x-request-id")).isNotEmpty();
        });
  }

  @Test
  void quotaErrorCarriesItsCode() {
    sim.enqueue(SimulatedReply.quotaExhausted()).enqueue(SimulatedReply.quotaExhausted());

    assertThatThrownBy(() -> client(1).chat().completions().create(params(false)))
        .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.code()).hasValue("insufficient_quota"));
    // the SDK does not tell a quota from a rate limit: it retried (llmtask does not)
    assertThat(sim.requests()).hasSize(2);
  }

  @Test
  void streamedCompletionParsesIntoTheSameText() {
    sim.enqueue(SimulatedReply.json(StreamingTest.ANSWER).withChunkSize(7).withUsage(210, 24, 0));
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client(0).chat().completions().createStreaming(params(true))) {
      chunks = stream.stream().peek(accumulator::accumulate).collect(Collectors.toList());
    }

    String text =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .map(c -> c.delta().content().orElse(""))
            .collect(Collectors.joining());
    assertThat(text).isEqualTo(StreamingTest.ANSWER);
    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.choices().get(0).message().content()).hasValue(StreamingTest.ANSWER);
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(24));
    assertThat(sim.requests().get(0).streamed()).isTrue();
    assertThat(sim.requests().get(0).json().at("/stream_options/include_usage").asBoolean()).isTrue();
  }

  @Test
  void streamErrorEventIsAnSseException() {
    sim.enqueue(SimulatedReply.streamError(StreamingTest.ANSWER, 2, "server_error"));

    try (StreamResponse<ChatCompletionChunk> stream = client(0).chat().completions().createStreaming(params(true))) {
      assertThatThrownBy(() -> stream.stream().forEach(chunk -> {}))
          .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.type()).hasValue("server_error"));
    }
  }

  @Test
  void cutStreamFailsWithAnIoError() {
    sim.enqueue(SimulatedReply.cutStream(StreamingTest.ANSWER, 2));

    try (StreamResponse<ChatCompletionChunk> stream = client(0).chat().completions().createStreaming(params(true))) {
      assertThatThrownBy(() -> stream.stream().forEach(chunk -> {})).isInstanceOf(OpenAIIoException.class);
    }
  }

  @Test
  void readTimeoutOnAStalledStreamClosesTheConnection() throws Exception {
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(sim.openAiBaseUrl().toString())
            .apiKey(TestHttp.OPENAI_KEY)
            .maxRetries(0)
            .timeout(Timeout.builder().read(Duration.ofMillis(500)).request(Duration.ofSeconds(10)).build())
            .build();
    // warm up both sides first: the read timeout also covers the wait for the response headers
    client.chat().completions().create(params(false));
    sim.enqueue(SimulatedReply.stalledStream(StreamingTest.ANSWER, 1, Duration.ofSeconds(3)));

    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params(true))) {
      assertThatThrownBy(() -> stream.stream().forEach(chunk -> {})).isInstanceOf(OpenAIIoException.class);
    }

    assertThat(sim.awaitClosedStreams(1, Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void sdkRetriesA429AndA503HonouringRetryAfterMs() {
    sim.enqueue(SimulatedReply.rateLimited().withHeader("retry-after-ms", "10"))
        .enqueue(SimulatedReply.status(503).withHeader("retry-after-ms", "10"))
        .enqueue(SimulatedReply.json(StreamingTest.ANSWER));

    ChatCompletion completion = client(2).chat().completions().create(params(false));

    assertThat(completion.choices().get(0).message().content()).hasValue(StreamingTest.ANSWER);
    assertThat(sim.requests()).hasSize(3);
    assertThat(sim.requests()).extracting(r -> r.header("x-stainless-retry-count")).containsExactly("0", "1", "2");
  }

  @Test
  void sdkDoesNotRetryA400AndObeysXShouldRetryFalse() {
    sim.enqueue(SimulatedReply.status(400))
        .enqueue(SimulatedReply.status(503).withHeader("x-should-retry", "false"));
    OpenAIClient client = client(2);

    assertThatThrownBy(() -> client.chat().completions().create(params(false))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> client.chat().completions().create(params(false))).isInstanceOf(InternalServerException.class);
    assertThat(sim.requests()).hasSize(2);
  }

  @Test
  void sdkRetriesADroppedConnection() {
    sim.enqueue(SimulatedReply.dropConnection());

    ChatCompletion completion = client(1).chat().completions().create(params(false));

    assertThat(completion.choices().get(0).message().content()).isPresent();
    assertThat(sim.requests()).hasSize(2);
  }
}
