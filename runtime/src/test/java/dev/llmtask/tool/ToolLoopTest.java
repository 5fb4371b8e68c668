package dev.llmtask.tool;

import static dev.llmtask.tool.RotationToolsFixture.ANSWER;
import static dev.llmtask.tool.RotationToolsFixture.CREATE;
import static dev.llmtask.tool.RotationToolsFixture.KEY;
import static dev.llmtask.tool.RotationToolsFixture.LOOKUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmtask.CallRecord;
import dev.llmtask.CallRecord.ToolOutcome;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTaskException;
import dev.llmtask.action.IdempotentActions;
import dev.llmtask.action.InMemoryActionStore;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.RecordedRequest;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.tool.RotationToolsFixture.Answer;
import dev.llmtask.tool.RotationToolsFixture.JobRequest;
import dev.llmtask.tool.RotationToolsFixture.KeyInfo;
import dev.llmtask.tool.RotationToolsFixture.KeyQuery;
import dev.llmtask.tool.RotationToolsFixture.RotationJob;
import dev.llmtask.tool.RotationToolsFixture.RotationTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tool loop over loopback HTTP, in both providers' formats, asserted on the requests the simulator received. */
class ToolLoopTest {
  private static final TaskSpec<Answer> ROTATE = RotationToolsFixture.spec().build();

  private LlmSimulator sim;
  private final AtomicInteger lookups = new AtomicInteger();
  private final AtomicInteger jobsCreated = new AtomicInteger();
  private final List<ToolAuthorizer.ActionRequest> asked = new CopyOnWriteArrayList<>();
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();
  private RuntimeException lookupFailure;

  private final RotationTools tools = new RotationTools() {
    @Override
    public KeyInfo lookupKey(KeyQuery query) {
      lookups.incrementAndGet();
      if (lookupFailure != null) {
        throw lookupFailure;
      }
      return new KeyInfo("key_" + query.accountId() + "_7", 412);
    }

    @Override
    public RotationJob createRotationJob(JobRequest request) {
      return new RotationJob("job_" + request.accountId() + "_00" + jobsCreated.incrementAndGet());
    }
  };

  @BeforeEach
  void start() {
    sim = LlmSimulator.start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private LlmRuntime runtime(boolean anthropic, ToolAuthorizer authorizer, int maxRounds, IdempotentActions actions) {
    return LlmRuntime.builder()
        .provider(anthropic
            ? AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-test-not-a-real-key").build()
            : OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-not-a-real-key").build())
        .tools(Toolbox.builder().add(RotationTools.class, tools).actions(actions).authorizer(request -> {
          asked.add(request);
          return authorizer.authorize(request);
        }).maxRounds(maxRounds).build())
        .telemetry(records::add)
        .build();
  }

  private LlmRuntime runtime(boolean anthropic) {
    return runtime(anthropic, ToolAuthorizer.allowAll(), 4, IdempotentActions.using(new InMemoryActionStore()));
  }

  private static List<JsonNode> messages(RecordedRequest request) {
    List<JsonNode> out = new ArrayList<>();
    request.json().path("messages").forEach(out::add);
    return out;
  }

  @Test
  void openAiTheModelCallsAToolThenAnswersWithItsResult() {
    sim.enqueue("rotate_key", SimulatedReply.toolCall("lookup_key", LOOKUP))
        .enqueue("rotate_key", SimulatedReply.json(ANSWER));

    LlmResult<Answer> result = ROTATE.callForResult(runtime(false), RotationToolsFixture.invocation(KEY));

    assertThat(result.value().jobId()).isEqualTo("job_acct_10234_001");
    List<RecordedRequest> requests = sim.requests("rotate_key");
    assertThat(requests).hasSize(2);
    JsonNode first = requests.get(0).json();
    assertThat(first.path("tools").get(0).path("type").asText()).isEqualTo("function");
    assertThat(first.path("tools").get(0).path("function").path("name").asText()).isEqualTo("lookup_key");
    assertThat(first.path("tools").get(0).path("function").path("strict").asBoolean()).isTrue();
    assertThat(first.path("tools").get(0).path("function").path("parameters").path("required").toString())
        .isEqualTo("[\"account_id\"]");
    assertThat(first.path("tools").get(1).path("function").path("name").asText()).isEqualTo("create_rotation_job");
    assertThat(first.path("parallel_tool_calls").asBoolean(true)).isFalse();
    assertThat(first.path("response_format").path("json_schema").path("name").asText()).isEqualTo("rotate_key");

    List<JsonNode> second = messages(requests.get(1));
    assertThat(second).extracting(m -> m.path("role").asText()).containsExactly("system", "user", "assistant", "tool");
    JsonNode call = second.get(2).path("tool_calls").get(0);
    assertThat(call.path("function").path("name").asText()).isEqualTo("lookup_key");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo(LOOKUP);
    assertThat(second.get(3).path("tool_call_id").asText()).isEqualTo(call.path("id").asText()).startsWith("call_");
    assertThat(second.get(3).path("content").asText()).isEqualTo("{\"key_id\":\"key_acct_10234_7\",\"age_days\":412}");

    assertThat(result.record().toolCalls()).singleElement().satisfies(t -> {
      assertThat(t.tool()).isEqualTo("lookup_key");
      assertThat(t.outcome()).isEqualTo(ToolOutcome.OK);
      assertThat(t.action()).isFalse();
      assertThat(t.replayed()).isFalse();
      assertThat(t.latencyMs()).isNotNegative();
    });
    assertThat(result.record().attempts()).isEqualTo(2);
    assertThat(result.record().toLogLine()).contains(" tool_calls=lookup_key:ok").doesNotContain("key_acct_10234_7");
    assertThat(asked).as("a read-only tool needs no authorization").isEmpty();
  }

  @Test
  void anthropicTheAnswerToolStaysFirstAndToolResultsComeAsUserBlocks() {
    sim.enqueue("rotate_key", SimulatedReply.toolCall("lookup_key", LOOKUP))
        .enqueue("rotate_key", SimulatedReply.json(ANSWER));

    Answer answer = ROTATE.call(runtime(true), RotationToolsFixture.invocation(KEY));

    assertThat(answer.jobId()).isEqualTo("job_acct_10234_001");
    List<RecordedRequest> requests = sim.requests("rotate_key");
    assertThat(requests).hasSize(2);
    JsonNode first = requests.get(0).json();
    assertThat(first.path("tools")).extracting(t -> t.path("name").asText())
        .containsExactly("rotate_key", "lookup_key", "create_rotation_job");
    assertThat(first.path("tools").get(1).path("input_schema").path("required").toString()).isEqualTo("[\"account_id\"]");
    assertThat(first.path("tool_choice").path("type").asText()).isEqualTo("any");
    assertThat(first.path("tool_choice").path("disable_parallel_tool_use").asBoolean()).isTrue();

    List<JsonNode> second = messages(requests.get(1));
    assertThat(second).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant", "user");
    JsonNode use = second.get(1).path("content").get(0);
    assertThat(use.path("type").asText()).isEqualTo("tool_use");
    assertThat(use.path("name").asText()).isEqualTo("lookup_key");
    assertThat(use.path("input").path("account_id").asText()).isEqualTo("acct_10234");
    JsonNode result = second.get(2).path("content").get(0);
    assertThat(result.path("type").asText()).isEqualTo("tool_result");
    assertThat(result.path("tool_use_id").asText()).isEqualTo(use.path("id").asText()).startsWith("toolu_");
    assertThat(result.path("content").asText()).isEqualTo("{\"key_id\":\"key_acct_10234_7\",\"age_days\":412}");
    assertThat(result.has("is_error")).isFalse();
    assertThat(lookups).hasValue(1);
  }

  @Test
  void anActionThatRanBeforeATimeoutIsReplayedWhenTheCallIsRetried() {
    IdempotentActions actions = IdempotentActions.using(new InMemoryActionStore());
    LlmRuntime runtime = runtime(false, ToolAuthorizer.allowAll(), 4, actions);
    TaskSpec<Answer> shortDeadline = RotationToolsFixture.spec().timeout(Duration.ofMillis(1500)).build();
    // first call: the model asks for the job, the job is created, then the answer comes too late
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.json(ANSWER).withDelay(Duration.ofSeconds(4)));

    assertThatThrownBy(() -> shortDeadline.call(runtime, RotationToolsFixture.invocation(KEY)))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.TIMEOUT);
          assertThat(e.record().toolCalls()).singleElement()
              .satisfies(t -> assertThat(t.replayed()).isFalse());
        });
    assertThat(jobsCreated).hasValue(1);

    // the application retries the call with the same key; the model asks for the same job again
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", "{\"window_days\":30,\"account_id\":\"acct_10234\"}"))
        .enqueue("rotate_key", SimulatedReply.json(ANSWER));
    LlmResult<Answer> retried = shortDeadline.callForResult(runtime, RotationToolsFixture.invocation(KEY));

    assertThat(jobsCreated).as("the job service was called once").hasValue(1);
    assertThat(retried.record().toolCalls()).singleElement().satisfies(t -> {
      assertThat(t.tool()).isEqualTo("create_rotation_job");
      assertThat(t.outcome()).isEqualTo(ToolOutcome.OK);
      assertThat(t.action()).isTrue();
      assertThat(t.replayed()).isTrue();
    });
    List<RecordedRequest> requests = sim.requests("rotate_key");
    List<JsonNode> last = messages(requests.get(requests.size() - 1));
    assertThat(last.get(last.size() - 1).path("content").asText())
        .as("the second answer sees the stored result").isEqualTo("{\"id\":\"job_acct_10234_001\"}");
    assertThat(asked).as("the action was authorized before each run or replay").hasSize(2)
        .allSatisfy(r -> {
          assertThat(r.tool()).isEqualTo("create_rotation_job");
          assertThat(r.idempotencyKey()).isEqualTo(KEY);
          assertThat(r.arguments()).isEqualTo(new JobRequest("acct_10234", 30));
        });
    assertThat(retried.record().toLogLine()).contains("tool_calls=create_rotation_job:ok:action:replayed");
  }

  @Test
  void aTurnThatTimesOutAfterAnActionIsRetriedWithTheActionsResultNotARerun() {
    LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-not-a-real-key").build())
        .attemptTimeout(Duration.ofMillis(1500))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
        .tools(Toolbox.builder().add(RotationTools.class, tools).actions(IdempotentActions.using(new InMemoryActionStore()))
            .authorizer(ToolAuthorizer.allowAll()).build())
        .build();
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.json(ANSWER).withDelay(Duration.ofSeconds(4)))
        .enqueue("rotate_key", SimulatedReply.json(ANSWER));

    LlmResult<Answer> result = RotationToolsFixture.spec().maxRetries(1).build()
        .callForResult(runtime, RotationToolsFixture.invocation(KEY));

    assertThat(result.value().jobId()).isEqualTo("job_acct_10234_001");
    assertThat(jobsCreated).hasValue(1);
    assertThat(result.record().attemptDetails()).extracting(CallRecord.Attempt::outcome)
        .containsExactly(CallStatus.OK, CallStatus.TIMEOUT, CallStatus.OK);
    List<RecordedRequest> requests = sim.requests("rotate_key");
    assertThat(requests.get(2).json().path("messages")).isEqualTo(requests.get(1).json().path("messages"));
  }

  @Test
  void aFallbackRouteThatAsksForTheSameActionGetsTheStoredResult() {
    IdempotentActions actions = IdempotentActions.using(new InMemoryActionStore());
    LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-not-a-real-key").build())
        .provider("anthropic", AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-test").build())
        .tools(Toolbox.builder().add(RotationTools.class, tools).actions(actions).authorizer(ToolAuthorizer.allowAll()).build())
        .build();
    sim.enqueueFor("openai", SimulatedReply.toolCall("create_rotation_job", CREATE), SimulatedReply.status(503))
        .enqueueFor("anthropic", SimulatedReply.toolCall("create_rotation_job", CREATE), SimulatedReply.json(ANSWER));

    LlmResult<Answer> result = RotationToolsFixture.spec().fallbacks("anthropic/claude-3-5-haiku-latest").build()
        .callForResult(runtime, RotationToolsFixture.invocation(KEY));

    assertThat(result.record().provider()).isEqualTo("anthropic");
    assertThat(jobsCreated).hasValue(1);
    assertThat(result.record().toolCalls()).extracting(CallRecord.ToolCall::replayed).containsExactly(false, true);
  }

  @Test
  void aReAskKeepsTheToolTurnsInOrderAndTheRepeatedActionIsReplayed() {
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.json("{\"decision\":\"rotation_scheduled\"}"))
        .enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.json(ANSWER));

    LlmResult<Answer> result = RotationToolsFixture.spec().repairs(1).build()
        .callForResultAsync(runtime(false), RotationToolsFixture.invocation(KEY)).join();

    assertThat(result.value().jobId()).isEqualTo("job_acct_10234_001");
    assertThat(jobsCreated).hasValue(1);
    List<JsonNode> last = messages(sim.requests("rotate_key").get(3));
    assertThat(last).extracting(m -> m.path("role").asText())
        .containsExactly("system", "user", "assistant", "tool", "assistant", "user", "assistant", "tool");
    assertThat(last.get(4).path("content").asText()).isEqualTo("{\"decision\":\"rotation_scheduled\"}");
    assertThat(last.get(5).path("content").asText()).startsWith("Your previous answer was rejected: ");
    assertThat(last.get(7).path("content").asText()).isEqualTo("{\"id\":\"job_acct_10234_001\"}");
    assertThat(result.record().toolCalls()).extracting(CallRecord.ToolCall::replayed).containsExactly(false, true);
  }

  @Test
  void anActionWithOtherArgumentsIsAnotherAction() {
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", "{\"account_id\":\"acct_10234\",\"window_days\":7}"))
        .enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.json(ANSWER));

    LlmResult<Answer> result = ROTATE.callForResult(runtime(false), RotationToolsFixture.invocation(KEY));

    assertThat(jobsCreated).hasValue(2);
    assertThat(result.record().toolCalls()).extracting(CallRecord.ToolCall::replayed).containsExactly(false, false, true);
  }

  @Test
  void aRefusedActionDoesNotRunAndTheModelIsToldWhy() {
    LlmRuntime runtime = runtime(false, request -> ToolAuthorizer.Decision.deny("rotation jobs need an approved change"),
        4, IdempotentActions.using(new InMemoryActionStore()));
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.json("{\"decision\":\"needs_approval\",\"job_id\":null}"));

    LlmResult<Answer> result = ROTATE.callForResult(runtime, RotationToolsFixture.invocation(KEY));

    assertThat(result.value().decision()).isEqualTo("needs_approval");
    assertThat(jobsCreated).hasValue(0);
    List<JsonNode> second = messages(sim.requests("rotate_key").get(1));
    assertThat(second.get(3).path("content").asText())
        .isEqualTo("error: not authorized, the action did not run: rotation jobs need an approved change");
    assertThat(result.record().toolCalls()).singleElement().satisfies(t -> {
      assertThat(t.outcome()).isEqualTo(ToolOutcome.NOT_AUTHORIZED);
      assertThat(t.action()).isTrue();
    });
    assertThat(result.record().toLogLine()).contains("create_rotation_job:not_authorized:action")
        .doesNotContain("approved change");
  }

  @Test
  void invalidArgumentsGoBackToTheModelNeverToTheTool() {
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", "{\"account_id\":\"acct_10234\",\"window_days\":900}"))
        .enqueue("rotate_key", SimulatedReply.toolCall("lookup_key", "{\"account_id\":"))
        .enqueue("rotate_key", SimulatedReply.json("{\"decision\":\"not_rotated\",\"job_id\":null}"));

    LlmResult<Answer> result = ROTATE.callForResult(runtime(false), RotationToolsFixture.invocation(KEY));

    assertThat(jobsCreated).hasValue(0);
    assertThat(lookups).hasValue(0);
    assertThat(asked).as("invalid arguments are refused before authorization").isEmpty();
    List<JsonNode> third = messages(sim.requests("rotate_key").get(2));
    assertThat(third.get(3).path("content").asText()).startsWith("error: invalid arguments, the tool did not run: ")
        .contains("windowDays: must be less than or equal to 365");
    assertThat(third.get(5).path("content").asText()).startsWith("error: invalid arguments, the tool did not run: ");
    assertThat(result.record().toolCalls()).extracting(CallRecord.ToolCall::outcome)
        .containsExactly(ToolOutcome.INVALID_ARGUMENTS, ToolOutcome.INVALID_ARGUMENTS);
  }

  @Test
  void aModelThatKeepsAskingForToolsStopsAtTheRoundCap() {
    LlmRuntime runtime = runtime(false, ToolAuthorizer.allowAll(), 2, IdempotentActions.using(new InMemoryActionStore()));
    for (int i = 0; i < 3; i++) {
      sim.enqueue("rotate_key", SimulatedReply.toolCall("lookup_key", LOOKUP));
    }

    assertThatThrownBy(() -> ROTATE.call(runtime, RotationToolsFixture.invocation(KEY)))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
          assertThat(e.record().failureReason()).startsWith("tool rounds exceeded: the model still asked for tools after 2 rounds");
          assertThat(e.record().toolCalls()).hasSize(2);
          assertThat(e.record().attempts()).isEqualTo(3);
        });
    assertThat(lookups).hasValue(2);
  }

  @Test
  void aToolThatThrowsIsAnErrorResultWithoutItsMessage() {
    lookupFailure = new IllegalStateException("the key store said: customer acct_10234 owes 310 EUR");
    sim.enqueue("rotate_key", SimulatedReply.toolCall("lookup_key", LOOKUP))
        .enqueue("rotate_key", SimulatedReply.json("{\"decision\":\"lookup_failed\",\"job_id\":null}"));

    LlmResult<Answer> result = ROTATE.callForResult(runtime(true), RotationToolsFixture.invocation(KEY));

    assertThat(result.value().decision()).isEqualTo("lookup_failed");
    JsonNode toolResult = messages(sim.requests("rotate_key").get(1)).get(2).path("content").get(0);
    assertThat(toolResult.path("is_error").asBoolean()).isTrue();
    assertThat(toolResult.path("content").asText()).isEqualTo("the tool failed (IllegalStateException)");
    assertThat(result.record().toolCalls()).singleElement()
        .satisfies(t -> assertThat(t.outcome()).isEqualTo(ToolOutcome.FAILED));
    assertThat(records).singleElement().satisfies(r -> assertThat(r.toString()).doesNotContain("310 EUR"));
  }

  @Test
  void anUnknownToolIsAnErrorResult() {
    sim.enqueue("rotate_key", SimulatedReply.toolCall("delete_account", LOOKUP))
        .enqueue("rotate_key", SimulatedReply.json("{\"decision\":\"not_rotated\",\"job_id\":null}"));

    LlmResult<Answer> result = ROTATE.callForResult(runtime(false), RotationToolsFixture.invocation(KEY));

    assertThat(messages(sim.requests("rotate_key").get(1)).get(3).path("content").asText())
        .isEqualTo("error: there is no tool named delete_account; call one of [lookup_key, create_rotation_job]");
    assertThat(result.record().toolCalls()).singleElement().satisfies(t -> {
      assertThat(t.tool()).isEqualTo("unknown");
      assertThat(t.outcome()).isEqualTo(ToolOutcome.UNKNOWN_TOOL);
    });
  }

  @Test
  void anActionInACallWithoutAKeyDoesNotRun() {
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.json("{\"decision\":\"not_rotated\",\"job_id\":null}"));

    LlmResult<Answer> result = ROTATE.callForResult(runtime(false), RotationToolsFixture.invocation(null));

    assertThat(jobsCreated).hasValue(0);
    assertThat(result.record().toolCalls()).extracting(CallRecord.ToolCall::outcome)
        .containsExactly(ToolOutcome.NO_IDEMPOTENCY_KEY);
  }

  @Test
  void aStreamedCallOfATaskWithToolsFailsBeforeAnyRequest() {
    LlmStream<Answer> stream = ROTATE.stream(runtime(false), RotationToolsFixture.invocation(KEY));

    assertThatThrownBy(stream::await).isInstanceOfSatisfying(LlmTaskException.class, e -> {
      assertThat(e.status()).isEqualTo(CallStatus.BAD_REQUEST);
      assertThat(e.record().failureReason()).isEqualTo("a streamed call cannot use tools: call the task blocking or async");
    });
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void anActionThatReturnsNullIsStoredAndReplayedAsJsonNull() {
    RotationTools nothing = new RotationTools() {
      @Override
      public KeyInfo lookupKey(KeyQuery query) {
        return null;
      }

      @Override
      public RotationJob createRotationJob(JobRequest request) {
        jobsCreated.incrementAndGet();
        return null;
      }
    };
    LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-not-a-real-key").build())
        .tools(Toolbox.builder().add(RotationTools.class, nothing).actions(IdempotentActions.using(new InMemoryActionStore()))
            .authorizer(ToolAuthorizer.allowAll()).build())
        .build();
    sim.enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.toolCall("create_rotation_job", CREATE))
        .enqueue("rotate_key", SimulatedReply.json("{\"decision\":\"not_rotated\",\"job_id\":null}"));

    LlmResult<Answer> result = ROTATE.callForResult(runtime, RotationToolsFixture.invocation(KEY));

    assertThat(jobsCreated).hasValue(1);
    assertThat(result.record().toolCalls()).extracting(CallRecord.ToolCall::outcome, CallRecord.ToolCall::replayed)
        .containsExactly(tuple(ToolOutcome.OK, false), tuple(ToolOutcome.OK, true));
    List<JsonNode> last = messages(sim.requests("rotate_key").get(2));
    assertThat(last.get(5).path("content").asText()).isEqualTo("null");
  }

  @Test
  void wiringFailsNamingTheToolsInterfaceWithoutAnImplementation() {
    LlmRuntime none = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-not-a-real-key").build())
        .build();
    assertThatThrownBy(() -> ROTATE.checkRoutes(none)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev.llmtask.tool.RotationDesk#rotateKey (task rotate_key) may use the tools of "
            + RotationTools.class.getName())
        .hasMessageContaining("Toolbox.builder().add(RotationTools.class, …)");

    LlmRuntime noStore = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-not-a-real-key").build())
        .tools(Toolbox.builder().add(RotationTools.class, tools).build())
        .build();
    assertThatThrownBy(() -> ROTATE.checkRoutes(noStore)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("may call the actions of " + RotationTools.class.getName())
        .hasMessageContaining("Toolbox.builder().actions(IdempotentActions…)")
        .hasMessageContaining("Toolbox.builder().authorizer(…)");
  }
}
