package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.RateCard;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Prompt-cache reads and writes, end to end: the simulator's prompt cache, the wire fields, the record and its cost. */
@ExtendWith(LlmSimulatorExtension.class)
class PromptCacheAccountingTest {
  private static final TaskSpec<RotationDecision> TASK = RotationFixture.spec().build();
  /** A stable system prompt of about 2,000 tokens, then the policy: well above the 1,024-token minimum. */
  private static final String SYSTEM = "Answer only from the policy below. ".repeat(230) + "\n" + RotationFixture.POLICY;
  private static final BigDecimal IN = new BigDecimal("3");
  private static final BigDecimal READ = new BigDecimal("0.3");
  private static final BigDecimal WRITE = new BigDecimal("3.75");
  private static final BigDecimal OUT = new BigDecimal("15");
  private static final RateCard PRICES = RateCard.builder().defaultRate(IN, READ, OUT)
      .model("claude-sonnet-4-5", IN, READ, WRITE, OUT).build();
  private final LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  PromptCacheAccountingTest(LlmSimulator sim) { // shared by the class, reset after each test
    this.sim = sim;
  }

  private LlmRuntime runtime(LlmProvider provider) {
    return LlmRuntime.builder().provider(provider).rateCard(PRICES).telemetry(records::add).build();
  }

  private static Invocation<RotationDecision> ask(String question) {
    return Invocation.<RotationDecision>of(SYSTEM, question)
        .check("windowMatchesPolicy", d -> RotationFixture.windowMatchesPolicy(d, RotationFixture.POLICY));
  }

  private static BigDecimal cost(BigDecimal inRate, long uncached, BigDecimal otherRate, long other, long out) {
    return inRate.multiply(BigDecimal.valueOf(uncached)).add(otherRate.multiply(BigDecimal.valueOf(other)))
        .add(OUT.multiply(BigDecimal.valueOf(out))).divide(BigDecimal.valueOf(1_000_000));
  }

  @Test
  void openAiReportsTheRepeatedPrefixAsCachedTokensPricedAtTheCachedRateAndSendsThePromptCacheKey() {
    LlmRuntime runtime = runtime(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test")
        .promptCacheKeyPerTask().build());
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    TASK.call(runtime, ask(RotationFixture.QUESTION));
    TASK.call(runtime, ask("Is the key of acct_777 due for rotation?"));

    CallRecord first = records.get(0);
    CallRecord second = records.get(1);
    assertThat(first.cachedInputTokens()).isZero();
    assertThat(second.cachedInputTokens()).isGreaterThanOrEqualTo(1024).isLessThan(second.inputTokens());
    assertThat(second.cachedInputTokens() % 128).isZero();
    assertThat(second.costUsd()).isEqualByComparingTo(cost(IN, second.inputTokens() - second.cachedInputTokens(),
        READ, second.cachedInputTokens(), second.outputTokens()));
    assertThat(sim.requests()).allSatisfy(r ->
        assertThat(r.json().path("prompt_cache_key").asText()).isEqualTo("llmtask:decide_rotation"));
  }

  @Test
  void anthropicWritesThenReadsAMarkedSystemPromptAtTheWriteAndReadRates() {
    LlmRuntime runtime = runtime(AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-test")
        .cacheSystemPrompt("decide_rotation").build());
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    var opts = dev.llmtask.CallOptions.builder().model("claude-sonnet-4-5").build();
    TASK.call(runtime, ask(RotationFixture.QUESTION).options(opts));
    TASK.call(runtime, ask("Is the key of acct_777 due for rotation?").options(opts));

    assertThat(sim.requests().get(0).json().at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(sim.requests().get(0).json().at("/system/0/text").asText()).isEqualTo(SYSTEM);
    CallRecord write = records.get(0);
    CallRecord read = records.get(1);
    long written = Long.parseLong(write.attributes().get(CallRecord.PROMPT_CACHE_WRITE_TOKENS));
    assertThat(written).isEqualTo(SYSTEM.length() / 4);
    assertThat(write.cachedInputTokens()).isZero();
    assertThat(write.costUsd()).isEqualByComparingTo(cost(IN, write.inputTokens() - written, WRITE, written,
        write.outputTokens()));
    assertThat(read.cachedInputTokens()).isEqualTo(written);
    assertThat(read.attributes()).doesNotContainKey(CallRecord.PROMPT_CACHE_WRITE_TOKENS);
    assertThat(read.costUsd()).isEqualByComparingTo(cost(IN, read.inputTokens() - written, READ, written,
        read.outputTokens()));
  }

  @Test
  void withoutConfigurationNothingIsMarkedOrKeyed() {
    LlmRuntime anthropic = runtime(AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-test").build());
    LlmRuntime openAi = runtime(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test").build());
    for (int i = 0; i < 2; i++) {
      sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
      TASK.call(anthropic, ask(RotationFixture.QUESTION));
    }
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    TASK.call(openAi, ask(RotationFixture.QUESTION));
    assertThat(sim.requests().get(0).json().path("system").isTextual()).isTrue();
    assertThat(records.get(1).cachedInputTokens()).as("Anthropic caches only marked blocks").isZero();
    assertThat(sim.requests().get(2).json().has("prompt_cache_key")).isFalse();
  }
}
