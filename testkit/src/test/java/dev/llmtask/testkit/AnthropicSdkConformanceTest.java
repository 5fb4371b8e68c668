package dev.llmtask.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.PaymentRequiredException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceTool;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Anthropic Java SDK ({@code com.anthropic:anthropic-java}) pointed at the simulator:
 * it must parse the simulator's messages, streams and error bodies, and classify and retry its
 * faults as it would the real service's.
 */
class AnthropicSdkConformanceTest {

  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void close() {
    sim.close();
  }

  private AnthropicClient client(int maxRetries) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(sim.anthropicBaseUrl().toString())
        .apiKey(TestHttp.ANTHROPIC_KEY)
        .maxRetries(maxRetries)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private static MessageCreateParams params() {
    Tool.InputSchema.Properties.Builder properties = Tool.InputSchema.Properties.builder();
    Schemas.ROTATION.get("properties").fields()
        .forEachRemaining(p -> properties.putAdditionalProperty(p.getKey(), JsonValue.fromJsonNode(p.getValue())));
    List<String> required = new ArrayList<>();
    Schemas.ROTATION.get("required").forEach(name -> required.add(name.asText()));
    return MessageCreateParams.builder()
        .model("claude-sonnet-4-5")
        .maxTokens(1024)
        .system("Answer only from the policy below.\nP-7: stale keys rotate within 30 days.")
        .addUserMessage("Can I rotate the stale service-account key?")
        .addTool(
            Tool.builder()
                .name("decide_rotation")
                .description("Emit the result.")
                .inputSchema(
                    Tool.InputSchema.builder()
                        .properties(properties.build())
                        .required(required)
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build())
        .toolChoice(ToolChoiceTool.builder().name("decide_rotation").build())
        .build();
  }

  private static JsonNode toolInput(Message message) {
    ContentBlock block = message.content().get(0);
    assertThat(block.isToolUse()).as("a tool_use block: %s", message).isTrue();
    assertThat(block.toolUse().orElseThrow().name()).isEqualTo("decide_rotation");
    return TestHttp.MAPPER.valueToTree(block.toolUse().orElseThrow()._input().convert(Object.class));
  }

  @Test
  void parsesAToolUseMessageAndItsUsage() {
    sim.enqueue(SimulatedReply.json(StreamingTest.ANSWER).withUsage(310, 42, 200));

    Message message = client(0).messages().create(params());

    assertThat(toolInput(message)).isEqualTo(TestHttp.json(StreamingTest.ANSWER));
    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(message.id()).startsWith("msg_");
    assertThat(message.usage().inputTokens()).isEqualTo(310);
    assertThat(message.usage().outputTokens()).isEqualTo(42);
    assertThat(message.usage().cacheReadInputTokens()).hasValue(200L);
    RecordedRequest request = sim.requests().get(0);
    assertThat(request.task()).isEqualTo("decide_rotation");
    // this SDK version sends the key as "authorization" (older ones: "x-api-key"); either is redacted
    String credential = request.hasHeader("x-api-key") ? request.header("x-api-key") : request.header("authorization");
    assertThat(credential).isEqualTo(RecordedRequest.REDACTED);
    assertThat(request.toString()).doesNotContain(TestHttp.ANTHROPIC_KEY);
    assertThat(request.header("anthropic-version")).isNotBlank();
  }

  @Test
  void parsesAGeneratedAnswerARefusalAndATruncation() {
    sim.enqueue(SimulatedReply.generated())
        .enqueue(SimulatedReply.refusal("I can't help with that."))
        .enqueue(SimulatedReply.truncated("{\"decision\":\"elig"));
    AnthropicClient client = client(0);

    Message generated = client.messages().create(params());
    Message refusal = client.messages().create(params());
    Message truncated = client.messages().create(params());

    assertThat(SchemaChecker.violations(Schemas.ROTATION, toolInput(generated))).isEmpty();
    assertThat(refusal.stopReason()).hasValue(StopReason.REFUSAL);
    assertThat(refusal.content().get(0).text().orElseThrow().text()).isEqualTo("I can't help with that.");
    assertThat(truncated.stopReason()).hasValue(StopReason.MAX_TOKENS);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(SimulatedReply.status(400), BadRequestException.class, ErrorType.INVALID_REQUEST_ERROR),
        Arguments.of(SimulatedReply.status(401), UnauthorizedException.class, ErrorType.AUTHENTICATION_ERROR),
        Arguments.of(SimulatedReply.status(402), PaymentRequiredException.class, ErrorType.BILLING_ERROR),
        Arguments.of(SimulatedReply.status(403), PermissionDeniedException.class, ErrorType.PERMISSION_ERROR),
        Arguments.of(SimulatedReply.status(404), NotFoundException.class, ErrorType.NOT_FOUND_ERROR),
        Arguments.of(SimulatedReply.rateLimited(), RateLimitException.class, ErrorType.RATE_LIMIT_ERROR),
        Arguments.of(SimulatedReply.quotaExhausted(), RateLimitException.class, ErrorType.RATE_LIMIT_ERROR),
        Arguments.of(SimulatedReply.status(500), InternalServerException.class, ErrorType.API_ERROR),
        Arguments.of(SimulatedReply.overloaded(), OverloadedException.class, ErrorType.OVERLOADED_ERROR));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void errorBodiesMapToTheSdkExceptions(
      SimulatedReply reply, Class<? extends AnthropicServiceException> type, ErrorType errorType) {
    sim.enqueue(reply);

    assertThatThrownBy(() -> client(0).messages().create(params()))
        .isInstanceOf(type)
        .satisfies(e -> {
          AnthropicServiceException error = (AnthropicServiceException) e;
          assertThat(error.errorType()).hasValue(errorType);
          assertThat(error.requestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
        });
  }

  @Test
  void spendLimitErrorCarriesItsCode() {
    sim.enqueue(SimulatedReply.quotaExhausted());

    assertThatThrownBy(() -> client(0).messages().create(params()))
        .isInstanceOfSatisfying(
            RateLimitException.class, e -> assertThat(e.errorCode()).hasValue("enforced_spend_limit_reached"));
  }

  @Test
  void streamedMessageAccumulatesIntoTheSameToolInput() {
    sim.enqueue(SimulatedReply.json(StreamingTest.ANSWER).withChunkSize(9).withUsage(310, 42, 0));
    MessageAccumulator accumulator = MessageAccumulator.create();

    try (StreamResponse<RawMessageStreamEvent> stream = client(0).messages().createStreaming(params())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    Message message = accumulator.message();
    assertThat(toolInput(message)).isEqualTo(TestHttp.json(StreamingTest.ANSWER));
    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(message.usage().inputTokens()).isEqualTo(310);
    assertThat(message.usage().outputTokens()).isEqualTo(42);
    assertThat(sim.requests().get(0).streamed()).isTrue();
  }

  @Test
  void streamedTextAccumulatesIntoTheSameText() {
    sim.enqueue(SimulatedReply.refusal("I can't help with rotating that key.").withChunkSize(4));
    MessageAccumulator accumulator = MessageAccumulator.create();

    try (StreamResponse<RawMessageStreamEvent> stream = client(0).messages().createStreaming(params())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    Message message = accumulator.message();
    assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("I can't help with rotating that key.");
    assertThat(message.stopReason()).hasValue(StopReason.REFUSAL);
  }

  @Test
  void overloadedErrorEventMidStreamIsAnSseException() {
    sim.enqueue(SimulatedReply.streamError(StreamingTest.ANSWER, 2, "overloaded_error"));

    try (StreamResponse<RawMessageStreamEvent> stream = client(0).messages().createStreaming(params())) {
      assertThatThrownBy(() -> stream.stream().forEach(event -> {}))
          .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.errorType()).hasValue(ErrorType.OVERLOADED_ERROR));
    }
  }

  @Test
  void cutStreamFailsWithAnIoError() {
    sim.enqueue(SimulatedReply.cutStream(StreamingTest.ANSWER, 2));

    try (StreamResponse<RawMessageStreamEvent> stream = client(0).messages().createStreaming(params())) {
      assertThatThrownBy(() -> stream.stream().forEach(event -> {})).isInstanceOf(AnthropicIoException.class);
    }
  }

  @Test
  void sdkRetries429And529HonouringRetryAfterMs() {
    sim.enqueue(SimulatedReply.rateLimited().withHeader("retry-after-ms", "10"))
        .enqueue(SimulatedReply.overloaded().withHeader("retry-after-ms", "10"))
        .enqueue(SimulatedReply.json(StreamingTest.ANSWER));

    Message message = client(2).messages().create(params());

    assertThat(toolInput(message)).isEqualTo(TestHttp.json(StreamingTest.ANSWER));
    assertThat(sim.requests()).extracting(r -> r.header("x-stainless-retry-count")).containsExactly("0", "1", "2");
  }

  @Test
  void sdkDoesNotRetryA400AndObeysXShouldRetryFalse() {
    sim.enqueue(SimulatedReply.status(400))
        .enqueue(SimulatedReply.overloaded().withHeader("x-should-retry", "false"));
    AnthropicClient client = client(2);

    assertThatThrownBy(() -> client.messages().create(params())).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> client.messages().create(params())).isInstanceOf(OverloadedException.class);
    assertThat(sim.requests()).hasSize(2);
  }
}
