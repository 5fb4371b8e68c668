package dev.llmtask.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory buckets on a controlled clock: refill, debt, deadline bound, give-back, correction and pause. */
class InMemoryRateLimitStoreTest {
  private static final RateLimit LIMIT = new RateLimit(2, 100, Duration.ofSeconds(10));
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private final RateLimitStore store = new InMemoryRateLimitStore();

  @Test
  void aFullBucketGrantsAtOnceThenQueuesCallersBehindTheRefill() {
    assertThat(store.acquire("r", LIMIT, 10, T0, Duration.ZERO)).isEqualTo(RateLimitGrant.NOW);
    assertThat(store.acquire("r", LIMIT, 10, T0, Duration.ZERO)).isEqualTo(RateLimitGrant.NOW);

    assertThat(store.acquire("r", LIMIT, 10, T0, Duration.ofSeconds(4)))
        .as("one request refills in 5 s: past a 4 s wait, nothing is taken")
        .isEqualTo(new RateLimitGrant(false, Duration.ofSeconds(5)));
    assertThat(store.acquire("r", LIMIT, 10, T0, Duration.ofSeconds(60))).isEqualTo(new RateLimitGrant(true, Duration.ofSeconds(5)));
    assertThat(store.acquire("r", LIMIT, 10, T0, Duration.ofSeconds(60)))
        .as("the next caller queues behind the one that took the debt").isEqualTo(new RateLimitGrant(true, Duration.ofSeconds(10)));
  }

  @Test
  void tokensAreABucketOfTheirOwnAndGivenBackTokensComeBack() {
    assertThat(store.acquire("r", LIMIT, 80, T0, Duration.ZERO).granted()).isTrue();
    assertThat(store.acquire("r", LIMIT, 80, T0, Duration.ZERO).delay()).isEqualTo(Duration.ofSeconds(6));

    store.giveBack("r", LIMIT, 0, 70, T0); // the reply used 10 of its 80

    assertThat(store.acquire("r", LIMIT, 80, T0, Duration.ZERO)).isEqualTo(RateLimitGrant.NOW);
  }

  @Test
  void theProvidersRemainingLowersTheBucketButNeverRaisesIt() {
    store.correct("r", LIMIT, 0, -1, T0);
    assertThat(store.acquire("r", LIMIT, 1, T0, Duration.ZERO).delay()).isEqualTo(Duration.ofSeconds(5));

    store.correct("r", LIMIT, 2, 100, T0.plusSeconds(5));
    assertThat(store.acquire("r", LIMIT, 1, T0.plusSeconds(5), Duration.ZERO)).isEqualTo(RateLimitGrant.NOW);
    assertThat(store.acquire("r", LIMIT, 1, T0.plusSeconds(5), Duration.ZERO).granted())
        .as("2 remaining did not raise a bucket that held 1").isFalse();
  }

  @Test
  void aPauseHoldsEveryCallerOfTheRouteUntilItEnds() {
    store.pause("r", T0.plusSeconds(30));

    assertThat(store.acquire("r", LIMIT, 1, T0, Duration.ofSeconds(10))).isEqualTo(new RateLimitGrant(false, Duration.ofSeconds(30)));
    assertThat(store.acquire("r", null, 1, T0.plusSeconds(29), Duration.ZERO).delay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(store.acquire("r", LIMIT, 1, T0.plusSeconds(30), Duration.ZERO)).isEqualTo(RateLimitGrant.NOW);
    assertThat(store.acquire("other", LIMIT, 1, T0, Duration.ZERO)).isEqualTo(RateLimitGrant.NOW);
  }
}
