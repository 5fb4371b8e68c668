package dev.llmtask.action;

import static dev.llmtask.action.ActionFixtures.ACTION;
import static dev.llmtask.action.ActionFixtures.JOB;
import static dev.llmtask.action.ActionFixtures.KEY;
import static dev.llmtask.action.ActionFixtures.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.action.ActionFixtures.Job;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The task's {@code @IdempotencyKey} argument travels in its {@code CallRecord} to the action: a
 * decision over loopback HTTP, then the act step keyed by that record, retried after a timeout.
 */
class DecideThenActOnceTest {
  record Verdict(String decision, @JsonProperty("rotation_window_days") int rotationWindowDays) {}

  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"decision\":{\"type\":\"string\"},"
      + "\"rotation_window_days\":{\"type\":\"integer\"}},\"required\":[\"decision\",\"rotation_window_days\"],"
      + "\"additionalProperties\":false}";
  private static final TaskSpec<Verdict> DECIDE = TaskSpec.builder("decide_rotation", OutputDecoder.of(Verdict.class))
      .declaredBy("dev.llmtask.action.RotationDesk#decideRotation")
      .promptVersion("rotation_decision@2")
      .model("gpt-4o-mini")
      .timeout(Duration.ofSeconds(20))
      .schema(new OutputSchema("decide_rotation", SCHEMA, SCHEMA))
      .build();

  @Test
  void theKeyOfTheDecidingCallMakesTheRetriedActionReturnTheSameJob() {
    try (LlmSimulator sim = LlmSimulator.start()) {
      String verdict = "{\"decision\":\"eligible\",\"rotation_window_days\":30}";
      sim.enqueue("decide_rotation", SimulatedReply.json(verdict)).enqueue("decide_rotation", SimulatedReply.json(verdict));
      LlmRuntime runtime = LlmRuntime.builder()
          .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-not-a-real-key").build())
          .build();
      LlmResult<Verdict> decided = DECIDE.callForResult(runtime,
          Invocation.<Verdict>of(null, "May acct_10234 rotate its stale key?").traceId("trace_acct_10234_01")
              .idempotencyKey(KEY));
      assertThat(decided.record().idempotencyKey()).isEqualTo(KEY);

      IdempotentActions actions = IdempotentActions.using(new InMemoryActionStore());
      AtomicInteger created = new AtomicInteger();
      ActionBody<Job> createJob = () -> {
        created.incrementAndGet();
        return JOB;
      };
      ActionOutcome<Job> first = actions.once(ACTION, decided.record(), REQUEST, Job.class, createJob);
      // the caller timed out before it saw the job, and retries the act step with the same record
      ActionOutcome<Job> retry = actions.once(ACTION, decided.record(), REQUEST, Job.class, createJob);

      assertThat(first.created()).isTrue();
      assertThat(retry.created()).isFalse();
      assertThat(retry.value().id()).isEqualTo("job_acct_10234_001");
      assertThat(created).hasValue(1);

      LlmResult<Verdict> unkeyed = DECIDE.callForResult(runtime,
          Invocation.<Verdict>of(null, "May acct_10234 rotate its stale key?"));
      assertThatThrownBy(() -> actions.once(ACTION, unkeyed.record(), REQUEST, Job.class, createJob))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("task decide_rotation carries no idempotency key")
          .hasMessageContaining("@IdempotencyKey");
    }
  }

  @Test
  void anActionAfterACallThatFellBackToAnotherProviderStillRunsOnce() {
    try (LlmSimulator sim = LlmSimulator.start()) {
      String verdict = "{\"decision\":\"eligible\",\"rotation_window_days\":30}";
      TaskSpec<Verdict> routed = TaskSpec.builder("decide_rotation", OutputDecoder.of(Verdict.class))
          .declaredBy("dev.llmtask.action.RotationDesk#decideRotation").promptVersion("rotation_decision@2")
          .model("gpt-4o-mini").schema(new OutputSchema("decide_rotation", SCHEMA, SCHEMA))
          .fallbacks("anthropic/claude-3-5-haiku-latest").maxRetries(0).build();
      // the first decision falls back; the caller, unsure it got through, decides again, on the first route
      sim.enqueueFor("openai", SimulatedReply.status(503), SimulatedReply.json(verdict))
          .enqueueFor("anthropic", SimulatedReply.json(verdict));
      LlmRuntime runtime = LlmRuntime.builder()
          .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-not-a-real-key").build())
          .provider("anthropic", AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-test").build())
          .build();
      LlmResult<Verdict> fellBack = routed.callForResult(runtime, Invocation.<Verdict>of(null, "May acct_10234 rotate?")
          .idempotencyKey(KEY));
      LlmResult<Verdict> again = routed.callForResult(runtime, Invocation.<Verdict>of(null, "May acct_10234 rotate?")
          .idempotencyKey(KEY));
      assertThat(fellBack.record().provider()).isEqualTo("anthropic");
      assertThat(again.record().provider()).isEqualTo("openai");

      IdempotentActions actions = IdempotentActions.using(new InMemoryActionStore());
      AtomicInteger created = new AtomicInteger();
      ActionBody<Job> createJob = () -> {
        created.incrementAndGet();
        return JOB;
      };
      ActionOutcome<Job> first = actions.once(ACTION, fellBack.record(), REQUEST, Job.class, createJob);
      ActionOutcome<Job> second = actions.once(ACTION, again.record(), REQUEST, Job.class, createJob);

      assertThat(first.created()).isTrue();
      assertThat(second.created()).as("keyed by the task invocation, not by the route that answered").isFalse();
      assertThat(second.value()).isEqualTo(JOB);
      assertThat(created).hasValue(1);
    }
  }
}
