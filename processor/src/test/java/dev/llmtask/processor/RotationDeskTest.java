package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.llmtask.processor.Sources.generated;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTasks;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The design's running example, end to end: schema text, generated code, and a real call through the runtime. */
class RotationDeskTest {

  private static Compilation compileDesk() {
    Compilation c = Sources.compile(Sources.decision(), Sources.rotationDecision(), Sources.rotationDesk());
    assertThat(c).succeededWithoutWarnings();
    return c;
  }

  @Test
  void openAiSchemaIsExactlyTheStrictSchema() {
    String code = generated(compileDesk(), "com.example.RotationDesk_LlmTask");
    assertThat(Sources.constant(code, "DECIDE_ROTATION_OPENAI_SCHEMA")).isEqualTo(Sources.ROTATION_OPENAI_SCHEMA);
    // written as an indented text block, one property per line, so a diff of generated code can be read
    assertThat(code).contains("private static final String DECIDE_ROTATION_OPENAI_SCHEMA = \"\"\"\n"
        + "  {\n"
        + "    \"type\": \"object\",\n"
        + "    \"properties\": {\n"
        + "      \"decision\": {\n"
        + "        \"type\": \"string\",\n"
        + "        \"enum\": [\"eligible\", \"not_eligible\", \"not_specified\"]\n");
  }

  @Test
  void anthropicSchemaAddsStringLengthsThatOpenAiLeavesOut() {
    String code = generated(compileDesk(), "com.example.RotationDesk_LlmTask");
    String anthropic = Sources.ROTATION_OPENAI_SCHEMA.replace(
        "\"items\":{\"type\":\"string\"}", "\"items\":{\"type\":\"string\",\"minLength\":1}");
    assertThat(anthropic).isNotEqualTo(Sources.ROTATION_OPENAI_SCHEMA);
    assertThat(Sources.constant(code, "DECIDE_ROTATION_ANTHROPIC_SCHEMA")).isEqualTo(anthropic);
  }

  @Test
  void specCarriesTheContractFromTheAnnotation() {
    String code = generated(compileDesk(), "com.example.RotationDesk_LlmTask");
    assertThat(code)
        .contains("@Generated(\"dev.llmtask.processor.LlmTaskProcessor\")")
        .contains("public final class RotationDesk_LlmTask implements RotationDesk {")
        .contains("private static final TaskSpec<RotationDecision> DECIDE_ROTATION = "
            + "TaskSpec.builder(\"decide_rotation\", OutputDecoder.of(RotationDecision.class, RotationDesk_LlmTask::checkRotationDecision))")
        .contains(".declaredBy(\"com.example.RotationDesk#decideRotation\")")
        .contains(".promptVersion(\"rotation_decision@2\")")
        .contains(".model(\"gpt-4o-mini\")")
        .contains(".timeout(Duration.ofSeconds(20))")
        .contains(".maxRetries(2)")
        .doesNotContain(".repairs(")
        .contains(".schema(new OutputSchema(\"decide_rotation\", DECIDE_ROTATION_OPENAI_SCHEMA, "
            + "DECIDE_ROTATION_ANTHROPIC_SCHEMA))");
  }

  @Test
  void methodRendersPromptsBindsTraceIdAndCheck() {
    String code = generated(compileDesk(), "com.example.RotationDesk_LlmTask");
    assertThat(code)
        .contains("public RotationDecision decideRotation(String question, String policy, String traceId) {")
        .contains("Invocation<RotationDecision> invocation = Invocation.<RotationDecision>user("
            + "PromptText.of(\"question\", question))\n"
            + "        .system(\"Answer only from the policy below.\\n\" + PromptText.of(\"policy\", policy))\n"
            + "        .traceId(traceId)\n"
            + "        .check(\"windowMatchesPolicy\", value -> windowMatchesPolicy(value, policy));\n"
            + "    return DECIDE_ROTATION.call(this.runtime, invocation);")
        .contains("public RotationDesk_LlmTask(LlmRuntime runtime) {\n"
            + "    this.runtime = Objects.requireNonNull(runtime, \"runtime\");")
        // the default @Check method is inherited, not implemented
        .doesNotContain("List<String> windowMatchesPolicy(");
  }

  @Test
  void generatedClassRunsThroughTheRuntimeWithRepairOnFailedCheck() throws Exception {
    Compilation c = compileDesk();
    ClassLoader loader = new CompiledClasses(c);
    @SuppressWarnings("unchecked")
    Class<Object> desk = (Class<Object>) loader.loadClass("com.example.RotationDesk");

    ScriptedProvider provider = new ScriptedProvider(
        "{\"decision\":\"eligible\",\"rotation_window_days\":90,\"source_line_ids\":[\"P-7\"]}",
        "{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}");
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    LlmRuntime runtime = LlmRuntime.builder().provider(provider).defaultModel("default-model")
        .telemetry(records::add).build();

    Object instance = LlmTasks.create(desk, runtime);
    assertThat(instance.getClass().getName()).isEqualTo("com.example.RotationDesk_LlmTask");
    Method decide = desk.getMethod("decideRotation", String.class, String.class, String.class);
    String policy = "P-7: stale service-account keys must rotate within a 30-day window.";
    Object decision = decide.invoke(instance, "Can I rotate the stale service-account key?", policy,
        "trace_acct_10234_01");

    assertThat(decision.getClass().getMethod("rotationWindowDays").invoke(decision)).isEqualTo(30);
    assertThat(decision.getClass().getMethod("decision").invoke(decision).toString()).isEqualTo("ELIGIBLE");

    assertThat(provider.requests).hasSize(2);
    ModelRequest first = provider.requests.get(0);
    assertThat(first.task()).isEqualTo("decide_rotation");
    assertThat(first.model()).isEqualTo("gpt-4o-mini");
    assertThat(first.systemPrompt()).isEqualTo("Answer only from the policy below.\n" + policy);
    assertThat(first.userPrompt()).isEqualTo("Can I rotate the stale service-account key?");
    assertThat(first.schema().name()).isEqualTo("decide_rotation");
    assertThat(first.schema().openAi()).isEqualTo(Sources.ROTATION_OPENAI_SCHEMA);
    assertThat(provider.requests.get(1).repairs()).hasSize(1);
    assertThat(provider.requests.get(1).repairs().get(0).feedback())
        .contains("rotation_window_days is not stated by the policy");

    assertThat(records).hasSize(1);
    assertThat(records.get(0).traceId()).isEqualTo("trace_acct_10234_01");
    assertThat(records.get(0).promptVersion()).isEqualTo("rotation_decision@2");
  }

  /** Answers each request with the next scripted JSON text and remembers the requests. */
  static final class ScriptedProvider implements LlmProvider {
    final List<ModelRequest> requests = new ArrayList<>();
    private final Deque<String> answers;

    ScriptedProvider(String... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public synchronized CompletableFuture<ModelReply> send(ModelRequest request, Duration attemptTimeout) {
      requests.add(request);
      String answer = answers.isEmpty() ? "{}" : answers.pop();
      return CompletableFuture.completedFuture(
          new ModelReply(answer, ModelReply.Finish.COMPLETE, null, new ModelReply.Usage(250, 80, 0), "req_1"));
    }
  }
}
