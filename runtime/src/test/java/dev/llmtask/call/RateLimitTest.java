package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTaskException;
import dev.llmtask.StreamEvent;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.ratelimit.InMemoryRateLimitStore;
import dev.llmtask.ratelimit.RateLimit;
import dev.llmtask.ratelimit.RateLimitPolicy;
import dev.llmtask.ratelimit.RateLimitStore;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import dev.llmtask.testkit.junit.LlmSimulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client-side rate limiter on the loopback simulator: a permit per attempt, waits bounded by the
 * deadline and recorded, permits given back on cancel, pacing from both providers' headers, and a
 * 429's retry-after shared by every runtime on one store.
 */
@ExtendWith(LlmSimulatorExtension.class)
class RateLimitTest {
  private static final String ROUTE = "openai/gpt-4o-mini";
  private final LlmSimulator sim;
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  RateLimitTest(LlmSimulator sim) {
    this.sim = sim;
  }

  private static TaskSpec<RotationDecision> task(int retries, Duration timeout) {
    return RotationFixture.spec().maxRetries(retries).timeout(timeout).build();
  }

  private LlmProvider openAi() {
    return OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-limit").build();
  }

  private LlmRuntime runtime(LlmProvider provider, RateLimitStore store, RateLimit limit) {
    RateLimitPolicy.Builder p = RateLimitPolicy.builder().store(store);
    if (limit != null) {
      p.limit(provider.name(), "gpt-4o-mini", limit);
    }
    return LlmRuntime.builder()
        .provider(provider)
        .maxOutputTokens(100)
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .streamIdleTimeout(Duration.ofSeconds(5))
        .rateLimits(p.build())
        .telemetry(records::add)
        .build();
  }

  private LlmRuntime runtime(RateLimit limit) {
    return runtime(openAi(), new InMemoryRateLimitStore(), limit);
  }

  private static SimulatedReply valid() {
    return SimulatedReply.json(RotationFixture.VALID);
  }

  private static LlmTaskException failure(LlmRuntime runtime, TaskSpec<RotationDecision> task) {
    try {
      task.callForResult(runtime, RotationFixture.invocation(null));
    } catch (LlmTaskException e) {
      return e;
    }
    throw new AssertionError("the call did not fail");
  }

  @Test
  void eachAttemptTakesAPermitSoRetriesCountAndAWaitPastTheDeadlineFailsAtOnceWithoutARequest() {
    LlmRuntime runtime = runtime(new RateLimit(2, RateLimit.NO_TOKEN_LIMIT, Duration.ofHours(1)));
    sim.enqueue(SimulatedReply.status(503)).enqueue(valid());

    task(1, Duration.ofSeconds(20)).callForResult(runtime, RotationFixture.invocation(null));
    assertThat(sim.requests()).as("the retry took the second permit").hasSize(2);

    LlmTaskException e = failure(runtime, task(0, Duration.ofSeconds(20)));

    assertThat(e.record().status()).as("refused, not slept into a timeout").isEqualTo(CallStatus.RATE_LIMITED);
    assertThat(sim.requests()).as("no provider request").hasSize(2);
    assertThat(e.record().failureReason()).contains("client-side rate limit").contains(ROUTE)
        .contains("past the call's deadline").doesNotContain(RotationFixture.QUESTION).doesNotContain("P-7");
    assertThat(e.record().attributes()).containsEntry("ratelimit_wait_ms", "0");
    assertThat(e.record().attemptDetails()).isEmpty();
  }

  /** A first exchange of this JVM can take a second; the waits below must not depend on it. */
  private void warmUp() {
    sim.enqueue(valid());
    task(0, Duration.ofSeconds(20)).callForResult(runtime(null), RotationFixture.invocation(null));
    sim.reset();
  }

  @Test
  void aWaitWithinTheDeadlineIsWaitedAndRecorded() {
    warmUp();
    LlmRuntime runtime = runtime(new RateLimit(1, RateLimit.NO_TOKEN_LIMIT, Duration.ofMillis(1000)));
    TaskSpec<RotationDecision> task = task(0, Duration.ofSeconds(5));
    sim.enqueue(valid()).enqueue(valid());

    LlmResult<RotationDecision> first = task.callForResult(runtime, RotationFixture.invocation(null));
    LlmResult<RotationDecision> second = task.callForResult(runtime, RotationFixture.invocation(null));

    assertThat(first.record().attributes()).doesNotContainKey("ratelimit_wait_ms");
    assertThat(second.record().status()).as(second.record().toString()).isEqualTo(CallStatus.OK);
    assertThat(Long.parseLong(second.record().attributes().get("ratelimit_wait_ms")))
        .as("the second call waited for the refill").isBetween(300L, 5000L);
    assertThat(sim.requests()).hasSize(2);
  }

  @Test
  void anAsyncCallWaitsWithoutItsCallerAndIsRecorded() throws Exception {
    warmUp();
    LlmRuntime runtime = runtime(new RateLimit(1, RateLimit.NO_TOKEN_LIMIT, Duration.ofMillis(1000)));
    TaskSpec<RotationDecision> task = task(0, Duration.ofSeconds(5));
    sim.enqueue(valid()).enqueue(valid());
    task.callForResult(runtime, RotationFixture.invocation(null));

    CompletableFuture<LlmResult<RotationDecision>> waiting = task.callForResultAsync(runtime, RotationFixture.invocation(null));
    assertThat(waiting).as("the caller is free while the call waits for its permit").isNotDone();

    LlmResult<RotationDecision> r = waiting.get(5, TimeUnit.SECONDS);
    assertThat(Long.parseLong(r.record().attributes().get("ratelimit_wait_ms"))).isBetween(300L, 5000L);
  }

  @Test
  void aCancelledAsyncCallGivesItsPermitBack() throws Exception {
    warmUp();
    LlmRuntime runtime = runtime(new RateLimit(1, RateLimit.NO_TOKEN_LIMIT, Duration.ofMillis(600)));
    sim.enqueue(valid()).enqueue(valid());
    task(0, Duration.ofSeconds(5)).callForResult(runtime, RotationFixture.invocation(null));
    CompletableFuture<LlmResult<RotationDecision>> waiting =
        task(0, Duration.ofSeconds(5)).callForResultAsync(runtime, RotationFixture.invocation(null));

    waiting.cancel(true);

    // with the cancelled call's permit back, the next call needs one refill (600 ms), not two
    LlmResult<RotationDecision> next = task(0, Duration.ofMillis(1000)).callForResult(runtime, RotationFixture.invocation(null));
    assertThat(next.record().status()).isEqualTo(CallStatus.OK);
    assertThat(sim.requests()).as("the cancelled call sent nothing").hasSize(2);
  }

  @Test
  void aStreamCancelledMidwayGivesItsTokensBack() throws Exception {
    // room for one call's estimate (prompt / 4 + 100 output tokens), not two
    var i = RotationFixture.invocation(null);
    long estimate = (i.systemPrompt().length() + i.userPrompt().length() + RotationFixture.SCHEMA.length() + 3) / 4 + 100;
    LlmRuntime runtime = runtime(new RateLimit(100, estimate * 3 / 2, Duration.ofHours(1)));
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withChunkSize(4).withChunkDelay(Duration.ofMillis(1_000)));
    LlmStream<RotationDecision> stream = task(0, Duration.ofSeconds(20)).stream(runtime, RotationFixture.invocation("s"));
    List<StreamEvent<RotationDecision>> seen = new CopyOnWriteArrayList<>();
    stream.onEvent(seen::add);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (seen.stream().noneMatch(e -> e instanceof StreamEvent.Delta) && System.nanoTime() < until) {
      Thread.sleep(5);
    }

    stream.cancel();

    sim.enqueue(valid());
    LlmResult<RotationDecision> next = task(0, Duration.ofSeconds(2)).callForResult(runtime, RotationFixture.invocation(null));
    assertThat(next.record().status()).isEqualTo(CallStatus.OK);
    assertThat(next.record().attributes()).doesNotContainKey("ratelimit_wait_ms");
  }

  @Test
  void openAiRemainingHeadersLowerTheBucketAndAnExhaustedLimitPausesTheRoute() {
    sim.rateLimit("gpt-4o-mini", 2, 1_000_000, Duration.ofMinutes(10));
    LlmRuntime runtime = runtime(RateLimit.perMinute(100, 1_000_000));
    TaskSpec<RotationDecision> task = task(0, Duration.ofSeconds(3));
    sim.enqueue(valid()).enqueue(valid());

    task.callForResult(runtime, RotationFixture.invocation(null));
    task.callForResult(runtime, RotationFixture.invocation(null));
    LlmTaskException e = failure(runtime, task);

    assertThat(e.record().status()).isEqualTo(CallStatus.RATE_LIMITED);
    assertThat(e.record().failureReason()).contains("client-side rate limit");
    assertThat(sim.requests()).as("paced by the headers: the provider never answered 429").hasSize(2);
    assertThat(sim.rateLimitedRequests()).isZero();
  }

  @Test
  void anthropicRemainingAndResetHeadersPaceTheRouteToo() {
    sim.rateLimit("gpt-4o-mini", 1, 1_000_000, Duration.ofMinutes(10));
    LlmProvider anthropic = AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-limit").build();
    LlmRuntime runtime = runtime(anthropic, new InMemoryRateLimitStore(), RateLimit.perMinute(100, 1_000_000));
    TaskSpec<RotationDecision> task = task(0, Duration.ofSeconds(3));
    sim.enqueue(valid());

    task.callForResult(runtime, RotationFixture.invocation(null));
    LlmTaskException e = failure(runtime, task);

    assertThat(e.record().failureReason()).contains("client-side rate limit").contains("anthropic/gpt-4o-mini");
    assertThat(sim.requests()).hasSize(1);
    assertThat(sim.rateLimitedRequests()).isZero();
  }

  @Test
  void a429WithRetryAfterPausesTheRouteForEveryRuntimeSharingTheStore() {
    RateLimitStore shared = new InMemoryRateLimitStore();
    LlmRuntime a = runtime(openAi(), shared, null); // no limit of its own: only the pause applies
    LlmRuntime b = runtime(openAi(), shared, null);
    sim.enqueue(SimulatedReply.rateLimited().withHeader("retry-after-ms", "60000"));

    assertThat(failure(a, task(0, Duration.ofSeconds(3))).record().status()).isEqualTo(CallStatus.RATE_LIMITED);
    LlmTaskException e = failure(b, task(0, Duration.ofSeconds(3)));

    assertThat(e.record().failureReason()).contains("client-side rate limit");
    assertThat(sim.requests()).as("the second runtime sent nothing").hasSize(1);
  }

  @Test
  void aStreamWaitsForItsPermitAndAnswers() {
    warmUp();
    LlmRuntime runtime = runtime(new RateLimit(1, RateLimit.NO_TOKEN_LIMIT, Duration.ofMillis(300)));
    sim.enqueue(valid()).enqueue(SimulatedReply.json(RotationFixture.VALID).withChunkSize(9));
    task(0, Duration.ofSeconds(5)).callForResult(runtime, RotationFixture.invocation(null));

    LlmStream<RotationDecision> stream = task(0, Duration.ofSeconds(5)).stream(runtime, RotationFixture.invocation("w"));

    assertThat(stream.await().decision()).isNotNull();
    assertThat(records.get(records.size() - 1).attributes()).containsKey("ratelimit_wait_ms");
  }

  @Test
  void aLimitOutOfRangeSaysWhatToDo() {
    assertThatThrownBy(() -> RateLimit.perMinute(0, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 request");
    assertThatThrownBy(() -> RateLimit.perMinute(10, 0)).hasMessageContaining("requestsPerMinute");
    assertThatThrownBy(() -> RateLimitPolicy.builder().limit("openai", " ", RateLimit.requestsPerMinute(1)))
        .hasMessageContaining("provider name and a model");
  }
}
