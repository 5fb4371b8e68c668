package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmtask.CallOptions;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.Sampling;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.util.function.Consumer;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sampling settings: their precedence, what each adapter sends, and what it refuses when wired. */
@ExtendWith(LlmSimulatorExtension.class)
class SamplingTest {
  private final LlmSimulator sim;

  SamplingTest(LlmSimulator sim) { // shared by the class, reset after each test
    this.sim = sim;
  }

  private LlmRuntime runtime(Consumer<LlmRuntime.Builder> more) {
    LlmRuntime.Builder b = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-sampling").build())
        .provider("anthropic", AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-test").build());
    more.accept(b);
    return b.build();
  }

  private JsonNode lastBody() {
    return sim.requests().get(sim.requests().size() - 1).json();
  }

  @Test
  void eachSettingComesFromTheHighestSourceThatSetsIt() {
    TaskSpec<RotationDecision> declared = RotationFixture.spec()
        .sampling(Sampling.builder().temperature(0.9).topP(0.5).maxOutputTokens(300).seed(1).stop("END").build())
        .build();
    LlmRuntime runtime = runtime(b -> b
        .route("openai/gpt-4o-mini", Sampling.builder().topP(0.8).seed(2).build())
        .taskOptions("decide_rotation", CallOptions.builder().sampling(Sampling.builder().seed(3).build()).build()));
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));

    declared.call(runtime, RotationFixture.invocation("t").options(CallOptions.builder()
        .sampling(Sampling.builder().temperature(0.1).build()).build()));

    JsonNode body = lastBody();
    assertThat(body.path("temperature").asDouble()).as("the call's options").isEqualTo(0.1);
    assertThat(body.path("seed").asLong()).as("per-task options").isEqualTo(3);
    assertThat(body.path("top_p").asDouble()).as("the route's settings").isEqualTo(0.8);
    assertThat(body.path("max_completion_tokens").asInt()).as("the annotation").isEqualTo(300);
    assertThat(body.path("stop").path(0).asText()).isEqualTo("END");
  }

  @Test
  void nothingSetSendsOnlyTheOutputTokenCap() {
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    RotationFixture.spec().build().call(runtime(b -> b.maxOutputTokens(777)), RotationFixture.invocation("t"));
    JsonNode body = lastBody();
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(777);
    assertThat(body.has("temperature") || body.has("top_p") || body.has("seed") || body.has("stop")).isFalse();
  }

  @Test
  void anthropicGetsItsOwnNamesAndARouteThereRefusesASeedWhenWired() {
    TaskSpec<RotationDecision> spec = RotationFixture.spec().fallbacks("anthropic/claude-3-5-haiku-latest")
        .sampling(Sampling.builder().temperature(0.3).topP(0.9).maxOutputTokens(500).stop("END").build()).build();
    sim.enqueueFor("openai", SimulatedReply.quotaExhausted()).enqueueFor("anthropic", SimulatedReply.json(RotationFixture.VALID));

    spec.call(runtime(b -> { }), RotationFixture.invocation("t"));

    JsonNode body = sim.requestsTo("anthropic").get(0).json();
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.path("max_tokens").asInt()).isEqualTo(500);
    assertThat(body.path("stop_sequences").path(0).asText()).isEqualTo("END");
    assertThat(body.has("seed")).isFalse();

    TaskSpec<RotationDecision> seeded = RotationFixture.spec().fallbacks("anthropic/claude-3-5-haiku-latest")
        .sampling(Sampling.builder().seed(7).build()).build();
    assertThatThrownBy(() -> seeded.checkRoutes(runtime(b -> { })))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("route anthropic/claude-3-5-haiku-latest: seed: Anthropic Messages has no seed parameter");
    assertThatThrownBy(() -> runtime(b -> b.route("anthropic/claude-3-5-haiku-latest",
        Sampling.builder().temperature(1.5).build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("route(\"anthropic/claude-3-5-haiku-latest\", …): temperature 1.5: Anthropic Messages accepts 0 to 1");
    assertThatThrownBy(() -> runtime(b -> b.route("mistral/large", Sampling.none())))
        .hasMessageContaining("no provider named 'mistral'");
  }

  @Test
  void aCallsOwnSettingTheRouteCannotSendEndsBadRequestBeforeAnyRequest() {
    TaskSpec<RotationDecision> spec = RotationFixture.spec().model("claude-3-5-haiku-latest").build();
    LlmRuntime anthropicFirst = LlmRuntime.builder()
        .provider(AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-test").build()).build();

    assertThatThrownBy(() -> spec.call(anthropicFirst, RotationFixture.invocation("t")
        .options(CallOptions.builder().sampling(Sampling.builder().seed(1).build()).build())))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.BAD_REQUEST);
          assertThat(e.record().failureReason()).contains("cannot send the sampling settings: seed:");
        });
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void badValuesFailWhereTheyAreSetNamingTheSetting() {
    assertThatThrownBy(() -> Sampling.builder().temperature(2.5)).hasMessageContaining("temperature must be between 0 and 2");
    assertThatThrownBy(() -> Sampling.builder().topP(0)).hasMessageContaining("topP must be above 0");
    assertThatThrownBy(() -> Sampling.builder().stop("a", "b", "c", "d", "e")).hasMessageContaining("stop takes 1 to 4");
    assertThatThrownBy(() -> Sampling.builder().seed(-2)).hasMessageContaining("seed must be zero or more");
    assertThat(Sampling.builder().stop("secret customer text").build().toString())
        .isEqualTo("Sampling[stop=1 sequences]");
  }
}
