package dev.llmtask.internal.pipeline;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Full-jitter exponential backoff: before retry {@code n} (counted from 0) wait a uniformly random
 * time in {@code [0, min(cap, base * 2^n)]}. A wait the provider asked for (retry-after) wins.
 */
final class Backoff {
  private final long baseNanos;
  private final long capNanos;

  Backoff(Duration base, Duration cap) {
    this.baseNanos = base.toNanos();
    this.capNanos = cap.toNanos();
  }

  /** The ceiling of the jittered wait before retry {@code retry} (from 0). */
  long ceilingNanos(int retry) {
    int shift = Math.min(retry, 30);
    long exp = baseNanos > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseNanos << shift;
    return Math.min(capNanos, exp);
  }

  /** The wait before retry {@code retry}: the provider's requested wait when given, else full jitter. */
  Duration delay(int retry, Duration requested) {
    if (requested != null && !requested.isNegative()) {
      return requested;
    }
    long ceiling = ceilingNanos(retry);
    return Duration.ofNanos(ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
