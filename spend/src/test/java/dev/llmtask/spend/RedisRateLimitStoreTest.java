package dev.llmtask.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.ratelimit.RateLimit;
import dev.llmtask.ratelimit.RateLimitGrant;
import dev.llmtask.ratelimit.RateLimitPolicy;
import dev.llmtask.spend.redis.RedisRateLimitStore;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** The Redis rate-limit store on a real redis-server over loopback: one bucket and one pause for two runtimes. */
class RedisRateLimitStoreTest {
  record Verdict(String priority) {}

  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\"}},"
      + "\"required\":[\"priority\"],\"additionalProperties\":false}";
  private static final TaskSpec<Verdict> TASK = TaskSpec.builder("classify", OutputDecoder.of(Verdict.class))
      .declaredBy("dev.llmtask.spend.Triage#classify").promptVersion("triage@1").model("gpt-4o-mini")
      .timeout(Duration.ofSeconds(2)).maxRetries(0).repairs(0)
      .schema(new OutputSchema("classify", SCHEMA, SCHEMA)).build();
  private static final String PROMPT = "Classify this support ticket: the CI is down since the key rotation";
  private static LlmSimulator sim;
  private static RedisServer redis;
  private static String uri;

  @BeforeAll
  static void start() throws IOException {
    sim = LlmSimulator.start();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
    redis.start();
    uri = "redis://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() throws IOException {
    sim.close();
    if (redis.isActive()) {
      redis.stop();
    }
  }

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
