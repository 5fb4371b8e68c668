package dev.llmtask.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(30_000));

  @Test
  void fullJitterStaysBetweenZeroAndTheExponentialCeilingAndSpreadsOverIt() {
    long[] ceilings = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int retry = 0; retry < ceilings.length; retry++) {
      assertThat(backoff.ceilingNanos(retry)).isEqualTo(ceilings[retry] * 1_000_000);
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long ms = backoff.delay(retry, null).toMillis();
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
      assertThat(max).isLessThanOrEqualTo(ceilings[retry]).isGreaterThan(ceilings[retry] * 8 / 10);
      assertThat(min).isGreaterThanOrEqualTo(0).isLessThan(ceilings[retry] / 5);
    }
  }

  @Test
  void theProvidersRequestedWaitWins() {
    assertThat(backoff.delay(3, Duration.ofMillis(1574))).isEqualTo(Duration.ofMillis(1574));
  }

  @Test
  void aHugeRetryNumberDoesNotOverflow() {
    assertThat(backoff.ceilingNanos(10_000)).isEqualTo(30_000L * 1_000_000);
  }
}
