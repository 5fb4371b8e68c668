package dev.llmtask.benchmarks.ratelimit;

import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.benchmarks.Table;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.ratelimit.RateLimit;
import dev.llmtask.ratelimit.RateLimitPolicy;
import dev.llmtask.testkit.LlmSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client-side rate limiter against the simulator's provider-side limit, at twice the provider's
 * rate: with the limiter on, how many provider 429s and how much of the allowed rate; without it,
 * how many 429s. Minutes are scaled to seconds so a run takes seconds: the simulator allows
 * {@code rps} requests per second (standing for {@code 60 × rps} RPM), and the limiter one request
 * less per second than the provider, which keeps the loopback's jitter under the provider's bucket.
 */
public final class RateLimitBenchmark {
  /**
   * @param rps the simulator's requests per second
   * @param offered how long the load is offered
   */
  public record Plan(int rps, Duration offered) {}

  record Verdict(String priority) {}

  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\"}},"
      + "\"required\":[\"priority\"],\"additionalProperties\":false}";
  private static final TaskSpec<Verdict> TASK = TaskSpec.builder("classify", OutputDecoder.of(Verdict.class))
      .declaredBy("dev.llmtask.benchmarks.ratelimit.Triage#classify").promptVersion("triage@1").model("gpt-4o-mini")
      .timeout(Duration.ofSeconds(2)).maxRetries(0).repairs(0)
      .schema(new OutputSchema("classify", SCHEMA, SCHEMA)).build();

  private final Plan plan;

  public RateLimitBenchmark(Plan plan) {
    this.plan = plan;
  }

  /** What one run saw. */
  record Outcome(long offered, long ok, long provider429, long clientRefused, double allowed) {}

  public Table run() throws InterruptedException {
    Table table = new Table(String.format(Locale.ROOT,
        "Client-side rate limit: %d calls/s offered against a provider limit of %d/s (stands for %d RPM), %d s",
        plan.rps() * 2, plan.rps(), plan.rps() * 60, plan.offered().toSeconds()), List.of(
            new Table.Column("offered", "%.0f"), new Table.Column("OK", "%.0f"), new Table.Column("provider 429s", "%.0f"),
            new Table.Column("refused client-side", "%.0f"), new Table.Column("other failures", "%.0f"),
            new Table.Column("% of allowed rate", "%.1f")));
    for (boolean limited : new boolean[] {true, false}) {
      Outcome o = once(limited);
      table.add(limited ? "limiter on (" + (plan.rps() - 1) + "/s)" : "limiter off",
          List.of((double) o.offered, (double) o.ok, (double) o.provider429, (double) o.clientRefused,
              (double) (o.offered - o.ok - o.clientRefused - o.provider429), 100.0 * o.ok / o.allowed));
    }
    table.note("Allowed: the provider's burst (one second's worth) plus its rate over the time from the first call to the"
        + " last OK answer. Calls have a 2 s deadline and no retries; a call whose wait for a permit would pass its deadline"
        + " is refused client-side without a request.");
    return table;
  }

  private Outcome once(boolean limited) throws InterruptedException {
    try (LlmSimulator sim = LlmSimulator.start()) {
      LlmRuntime.Builder b = LlmRuntime.builder()
          .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-bench-limit").build())
          .maxOutputTokens(50);
      if (limited) {
        b.rateLimits(RateLimitPolicy.builder()
            .limit("openai", "gpt-4o-mini", new RateLimit(plan.rps() - 1, RateLimit.NO_TOKEN_LIMIT, Duration.ofSeconds(1)))
            .build());
      }
      LlmRuntime runtime = b.build();
      TASK.callForResult(runtime, Invocation.user("warm up")); // before the limits: the first exchange of a JVM is slow
      sim.reset();
      sim.rateLimit("gpt-4o-mini", plan.rps(), 1_000_000_000L, Duration.ofSeconds(1));

      long intervalNanos = 1_000_000_000L / (plan.rps() * 2L);
      long calls = plan.offered().toNanos() / intervalNanos;
      long start = System.nanoTime();
      AtomicLong lastOk = new AtomicLong(start);
      List<CompletableFuture<LlmResult<Verdict>>> inFlight = new ArrayList<>();
      for (long i = 0; i < calls; i++) {
        long due = start + i * intervalNanos;
        long sleep = due - System.nanoTime();
        if (sleep > 0) {
          TimeUnit.NANOSECONDS.sleep(sleep);
        }
        inFlight.add(TASK.callForResultAsync(runtime, Invocation.user("Classify ticket " + i)).whenComplete((r, f) -> {
          if (f == null) {
            lastOk.accumulateAndGet(System.nanoTime(), Math::max);
          }
        }));
      }
      long ok = 0;
      long refused = 0;
      for (CompletableFuture<LlmResult<Verdict>> call : inFlight) {
        try {
          call.join();
          ok++;
        } catch (CompletionException e) {
          if (e.getCause() instanceof LlmTaskException t && t.status() == CallStatus.RATE_LIMITED
              && t.record().failureReason() != null && t.record().failureReason().startsWith("client-side")) {
            refused++;
          }
        }
      }
      double seconds = (lastOk.get() - start) / 1e9;
      return new Outcome(calls, ok, sim.rateLimitedRequests(), refused, plan.rps() + plan.rps() * seconds);
    }
  }
}
