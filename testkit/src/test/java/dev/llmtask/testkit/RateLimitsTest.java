package dev.llmtask.testkit;

import static dev.llmtask.testkit.TestHttp.anthropicBody;
import static dev.llmtask.testkit.TestHttp.openAiBody;
import static dev.llmtask.testkit.TestHttp.postAnthropic;
import static dev.llmtask.testkit.TestHttp.postOpenAi;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator's provider-side rate limits: both providers' headers, and a 429 with retry-after when over. */
class RateLimitsTest {
  private final LlmSimulator sim = LlmSimulator.start();

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void openAiAnswersCarryTheRemainingAndResetHeadersAndAnswer429WhenOver() throws Exception {
    sim.rateLimit("gpt-4o-mini", 2, 1_000_000, Duration.ofMinutes(1));
    sim.enqueue(SimulatedReply.json("{\"a\":1}"));

    HttpResponse<String> first = postOpenAi(sim, openAiBody(null, null));
    HttpResponse<String> second = postOpenAi(sim, openAiBody(null, null));
    HttpResponse<String> third = postOpenAi(sim, openAiBody(null, null));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).as("the scripted reply answered the admitted request").contains("{\\\"a\\\":1}");
    assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).hasValue("2");
    assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("1");
    assertThat(first.headers().firstValue("x-ratelimit-reset-requests").orElseThrow()).matches("(\\d+ms|[\\d.]+s)");
    assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.body()).contains("rate_limit_exceeded");
    assertThat(Long.parseLong(third.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
    assertThat(Long.parseLong(third.headers().firstValue("retry-after-ms").orElseThrow())).isBetween(1L, 60_000L);
    assertThat(sim.rateLimitedRequests()).isEqualTo(1);
    assertThat(sim.unusedReplies()).isEmpty();
  }

  @Test
  void anthropicAnswersCarryItsHeadersWithRfc3339Resets() throws Exception {
    sim.rateLimit("claude-sonnet-4-5", 10, 50_000, Duration.ofMinutes(1));

    HttpResponse<String> r = postAnthropic(sim, anthropicBody(null, null));

    assertThat(r.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("9");
    Instant reset = OffsetDateTime.parse(r.headers().firstValue("anthropic-ratelimit-requests-reset").orElseThrow()).toInstant();
    assertThat(reset).isBetween(Instant.now().minusSeconds(1), Instant.now().plusSeconds(61));
    long tokens = Long.parseLong(r.headers().firstValue("anthropic-ratelimit-tokens-remaining").orElseThrow());
    assertThat(tokens).as("the body's characters / 4 and max_tokens 1024 were taken").isLessThan(50_000 - 1024);
  }

  @Test
  void anotherModelsLimitDoesNotMeterThisOne() throws Exception {
    sim.rateLimit("other-model", 1, 1, Duration.ofMinutes(1));

    HttpResponse<String> first = postOpenAi(sim, openAiBody(null, null));
    HttpResponse<String> second = postOpenAi(sim, openAiBody(null, null));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-ratelimit-limit-requests")).isNotEqualTo(java.util.Optional.of("1"));
    assertThat(sim.rateLimitedRequests()).isZero();
  }

  @Test
  void openAiResetsAreWrittenAsGoDurations() {
    assertThat(SimulatedRateLimits.goDuration(20_000_000)).isEqualTo("20ms");
    assertThat(SimulatedRateLimits.goDuration(1_000_000_000)).isEqualTo("1s");
    assertThat(SimulatedRateLimits.goDuration(7_660_000_000L)).isEqualTo("7.66s");
    assertThat(SimulatedRateLimits.goDuration(360_000_000_000L)).isEqualTo("6m0s");
  }
}
