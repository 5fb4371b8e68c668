package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.LlmRuntime;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each adapter reads the response's id and the model that answered, blocking and streamed (for traces). */
class ResponseIdentityTest {
  private static LlmSimulator sim;
  private static final TaskSpec<RotationDecision> ROTATION = RotationFixture.spec().build();

  @BeforeAll
  static void start() {
    sim = LlmSimulator.start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static Stream<Arguments> providers() {
    Function<LlmSimulator, LlmProvider> openai = s -> OpenAiProvider.builder().baseUrl(s.openAiBaseUrl()).apiKey("sk-test-id").build();
    Function<LlmSimulator, LlmProvider> anthropic = s -> AnthropicProvider.builder().baseUrl(s.anthropicBaseUrl()).apiKey("sk-ant-id").build();
    return Stream.of(Arguments.of("chatcmpl-", openai), Arguments.of("msg_01", anthropic));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void theReplyNamesTheResponseAndTheModelThatAnswered(String idPrefix, Function<LlmSimulator, LlmProvider> provider) {
    List<ModelReply> replies = new CopyOnWriteArrayList<>();
    LlmRuntime rt = LlmRuntime.builder()
        .provider(provider.apply(sim))
        .interceptExchanges(chain -> chain.proceed(chain.request()).thenApply(reply -> {
          replies.add(reply);
          return reply;
        }))
        .build();
    sim.reset();
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withChunkSize(9));
    ROTATION.call(rt, RotationFixture.invocation("t"));
    ROTATION.stream(rt, RotationFixture.invocation("t")).await();

    assertThat(replies).hasSize(2).allSatisfy(reply -> {
      assertThat(reply.responseId()).startsWith(idPrefix);
      assertThat(reply.responseModel()).isEqualTo("gpt-4o-mini");
    });
    assertThat(replies.get(0).responseId()).isNotEqualTo(replies.get(1).responseId());
  }
}
