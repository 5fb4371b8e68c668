package dev.llmtask.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.provider.RateLimitHeaders;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed view of both providers' rate-limit headers, in the formats they send. */
class RateLimitHeadersTest {
  private static HttpHeaders headers(Map<String, String> h) {
    return HttpHeaders.of(h.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
        e -> List.of(e.getValue()))), (a, b) -> true);
  }

  @Test
  void openAiResetsAreGoDurations() {
    assertThat(RateLimitHeaders.parseDuration("6m0s")).isEqualTo(Duration.ofMinutes(6));
    assertThat(RateLimitHeaders.parseDuration("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(RateLimitHeaders.parseDuration("20ms")).isEqualTo(Duration.ofMillis(20));
    assertThat(RateLimitHeaders.parseDuration("2m59.56s")).isEqualTo(Duration.ofMillis(179_560));
    assertThat(RateLimitHeaders.parseDuration("1h2m")).isEqualTo(Duration.ofMinutes(62));
    assertThat(RateLimitHeaders.parseDuration("soon")).isNull();
    assertThat(RateLimitHeaders.parseDuration("5")).isNull();
    assertThat(RateLimitHeaders.parseDuration("5s later")).isNull();
  }

  @Test
  void openAiHeadersAreRead() {
    RateLimitHeaders h = RateLimitHeaders.of(headers(Map.of("x-ratelimit-remaining-requests", "59",
        "x-ratelimit-remaining-tokens", "149984", "x-ratelimit-reset-requests", "1s",
        "x-ratelimit-reset-tokens", "6m0s")), Instant.now());

    assertThat(h).isEqualTo(new RateLimitHeaders(59L, 149_984L, Duration.ofSeconds(1), Duration.ofMinutes(6)));
  }

  @Test
  void anthropicResetsAreRfc3339Times() {
    Instant now = Instant.parse("2026-02-25T20:02:07Z");
    RateLimitHeaders h = RateLimitHeaders.of(headers(Map.of("anthropic-ratelimit-requests-remaining", "49",
        "anthropic-ratelimit-requests-reset", "2026-02-25T20:02:37Z", "anthropic-ratelimit-tokens-remaining", "36000",
        "anthropic-ratelimit-tokens-reset", "2026-02-25T20:01:00Z")), now);

    assertThat(h).isEqualTo(new RateLimitHeaders(49L, 36_000L, Duration.ofSeconds(30), Duration.ZERO));
  }

  @Test
  void noOrUnreadableHeadersGiveNothing() {
    assertThat(RateLimitHeaders.of(headers(Map.of("x-request-id", "req_1")), Instant.now())).isNull();
    assertThat(RateLimitHeaders.of(headers(Map.of("x-ratelimit-remaining-requests", "-1")), Instant.now())).isNull();
  }
}
