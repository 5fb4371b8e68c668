package dev.llmtask.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.ratelimit.RateLimit;
import dev.llmtask.ratelimit.RateLimitGrant;
import dev.llmtask.ratelimit.RateLimitPolicy;
import dev.llmtask.spend.redis.RedisRateLimitStore;
import dev.llmtask.testkit.SimulatedReply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Redis rate-limit store on a real redis-server over loopback: one bucket and one pause for two runtimes. */
class RedisRateLimitStoreTest extends RedisAndSimulator {
  private static final TaskSpec<Verdict> TASK = task(Duration.ofSeconds(2));

  private static LlmRuntime runtime(RedisRateLimitStore store, RateLimit limit) {
    RateLimitPolicy.Builder p = RateLimitPolicy.builder().store(store);
    if (limit != null) {
      p.limit("openai", "gpt-4o-mini", limit);
    }
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-limit").build())
        .rateLimits(p.build())
        .build();
  }

  private static LlmTaskException failure(LlmRuntime runtime) {
    try {
      TASK.callForResult(runtime, Invocation.user(PROMPT));
    } catch (LlmTaskException e) {
      return e;
    }
    throw new AssertionError("the call did not fail");
  }

  @Test
  void twoRuntimesShareOneBucket() {
    sim.reset();
    sim.enqueue(SimulatedReply.json("{\"priority\":\"high\"}")).enqueue(SimulatedReply.json("{\"priority\":\"low\"}"));
    RateLimit twoPerHour = new RateLimit(2, RateLimit.NO_TOKEN_LIMIT, Duration.ofHours(1));
    try (RedisRateLimitStore a = RedisRateLimitStore.create(uri, "bucket:"); RedisRateLimitStore b = RedisRateLimitStore.create(uri, "bucket:")) {
      LlmRuntime first = runtime(a, twoPerHour);
      LlmRuntime second = runtime(b, twoPerHour);

      TASK.callForResult(first, Invocation.user(PROMPT));
      TASK.callForResult(second, Invocation.user(PROMPT));
      LlmTaskException e = failure(first);

      assertThat(e.status()).isEqualTo(CallStatus.RATE_LIMITED);
      assertThat(e.record().failureReason()).contains("client-side rate limit").contains("openai/gpt-4o-mini");
      assertThat(sim.requests()).as("the third call, over the shared limit, sent nothing").hasSize(2);
    }
  }

  @Test
  void a429RetryAfterSeenByOneRuntimePausesTheOther() {
    sim.reset();
    sim.enqueue(SimulatedReply.rateLimited().withHeader("retry-after", "60"));
    try (RedisRateLimitStore a = RedisRateLimitStore.create(uri, "pause:"); RedisRateLimitStore b = RedisRateLimitStore.create(uri, "pause:")) {
      LlmRuntime first = runtime(a, null);
      LlmRuntime second = runtime(b, RateLimit.perMinute(1000, 1_000_000));

      assertThat(failure(first).record().failureReason()).doesNotContain("client-side");
      LlmTaskException e = failure(second);

      assertThat(e.record().failureReason()).contains("client-side rate limit");
      assertThat(sim.requests()).as("the paused runtime sent nothing").hasSize(1);
    }
  }

  @Test
  void theBucketRefillsQueuesGivesBackAndFollowsTheProvidersRemaining() {
    RateLimit limit = new RateLimit(2, 100, Duration.ofSeconds(10));
    Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
    try (RedisRateLimitStore store = RedisRateLimitStore.create(uri, "unit:")) {
      assertThat(store.acquire("r", limit, 80, t0, Duration.ZERO)).isEqualTo(RateLimitGrant.NOW);
      assertThat(store.acquire("r", limit, 80, t0, Duration.ofSeconds(5)))
          .as("tokens short: 60 more refill in 6 s").isEqualTo(new RateLimitGrant(false, Duration.ofSeconds(6)));
      store.giveBack("r", limit, 0, 70, t0);
      assertThat(store.acquire("r", limit, 80, t0, Duration.ZERO)).isEqualTo(RateLimitGrant.NOW);
      assertThat(store.acquire("r", limit, 1, t0, Duration.ofSeconds(60)))
          .as("no request left: queued behind the refill").isEqualTo(new RateLimitGrant(true, Duration.ofSeconds(5)));

      store.correct("s", limit, 0, -1, t0);
      assertThat(store.acquire("s", limit, 1, t0, Duration.ZERO).delay()).isEqualTo(Duration.ofSeconds(5));
    }
  }
}
