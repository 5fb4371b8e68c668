package dev.llmtask.call;

import static dev.llmtask.call.RotationFixture.VALID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model and policies a call uses, highest first: call options, per-task configuration, the
 * runtime-wide override, what the annotation writes, runtime defaults. Asserted on the model the
 * provider actually received.
 */
class PolicyPrecedenceTest {
  private LlmSimulator sim;

  @BeforeEach
  void start() {
    sim = LlmSimulator.start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /** Written by the annotation: {@code model = "gpt-4o-mini"}. */
  private static final TaskSpec<RotationDecision> WRITTEN = RotationFixture.spec().build();

  /** Nothing written: no model, retries and re-asks inherited. */
  private static final TaskSpec<RotationDecision> UNWRITTEN = TaskSpec.builder("decide_rotation", WRITTEN.decoder())
      .promptVersion("rotation_decision@2").schema(WRITTEN.schema()).build();

  private LlmRuntime.Builder runtime() {
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-precedence").build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20));
  }

  private String modelSent(LlmRuntime rt, TaskSpec<RotationDecision> spec, CallOptions options) {
    sim.reset();
    sim.enqueue(SimulatedReply.json(VALID));
    CallRecord r = spec.callForResult(rt, RotationFixture.invocation("t").options(options)).record();
    String sent = sim.requests().get(0).json().path("model").asText();
    assertThat(r.model()).isEqualTo(sent);
    return sent;
  }

  @Test
  void theRuntimeWideOverrideBeatsTheAnnotationButNotPerTaskConfigurationOrCallOptions() {
    LlmRuntime override = runtime().defaultModel("default-model").modelOverride("claude-sonnet-4-5").build();
    assertThat(modelSent(override, WRITTEN, CallOptions.none())).isEqualTo("claude-sonnet-4-5");
    assertThat(modelSent(override, UNWRITTEN, CallOptions.none())).isEqualTo("claude-sonnet-4-5");

    LlmRuntime perTask = runtime().modelOverride("claude-sonnet-4-5")
        .taskOptions("decide_rotation", CallOptions.builder().model("gpt-4.1").build()).build();
    assertThat(modelSent(perTask, WRITTEN, CallOptions.none())).isEqualTo("gpt-4.1");
    assertThat(modelSent(perTask, WRITTEN, CallOptions.builder().model("o4-mini").build())).isEqualTo("o4-mini");
  }

  @Test
  void withoutAnOverrideWhatTheAnnotationWritesBeatsTheRuntimeDefault() {
    LlmRuntime rt = runtime().defaultModel("default-model").build();
    assertThat(modelSent(rt, WRITTEN, CallOptions.none())).isEqualTo("gpt-4o-mini");
    assertThat(modelSent(rt, UNWRITTEN, CallOptions.none())).isEqualTo("default-model");
  }

  @Test
  void llmModelInTheEnvironmentIsTheRuntimeWideOverride() {
    LlmRuntime rt = LlmRuntime.builder().environment(Map.of(
        "LLM_API_KEY", "sk-test-env-0001", "LLM_BASE_URL", sim.openAiBaseUrl().toString(), "LLM_MODEL", "gpt-4.1-mini"))
        .build();
    assertThat(modelSent(rt, WRITTEN, CallOptions.none())).isEqualTo("gpt-4.1-mini");
  }

  @Test
  void anAttributeTheAnnotationDoesNotWriteNeverOverridesRuntimeConfiguration() {
    // UNWRITTEN leaves maxRetries and repairs at "inherit": the runtime's defaults apply
    LlmRuntime rt = runtime().defaultModel("default-model").defaultMaxRetries(0).defaultRepairs(0).build();
    sim.enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.json(VALID));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UNWRITTEN.call(rt, RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(dev.llmtask.LlmTaskException.class, e -> assertThat(e.record().attempts()).isEqualTo(1));

    sim.reset();
    sim.enqueue(SimulatedReply.json(RotationFixture.WRONG_WINDOW)).enqueue(SimulatedReply.json(VALID));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UNWRITTEN.call(rt, RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(dev.llmtask.LlmTaskException.class, e -> assertThat(e.record().attempts()).isEqualTo(1));
  }
}
