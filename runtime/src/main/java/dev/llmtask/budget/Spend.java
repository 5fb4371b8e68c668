package dev.llmtask.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of spend in both units a budget can limit: USD, held as whole nano-dollars so stores can
 * add it atomically, and tokens (input plus output).
 *
 * @param nanoUsd USD times 10<sup>9</sup>
 * @param tokens input plus output tokens
 */
public record Spend(long nanoUsd, long tokens) {
  /** Nothing spent. */
  public static final Spend ZERO = new Spend(0, 0);
  /** No limit in either unit. */
  public static final Spend UNLIMITED = new Spend(Long.MAX_VALUE, Long.MAX_VALUE);

  /** {@code usd} (rounded up to a nano-dollar) and {@code tokens}. */
  public static Spend of(BigDecimal usd, long tokens) {
    return new Spend(nano(usd), tokens);
  }

  /** Whole nano-dollars of {@code usd}, rounded up. */
  static long nano(BigDecimal usd) {
    return usd.movePointRight(9).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** The USD part. */
  public BigDecimal usd() {
    return BigDecimal.valueOf(nanoUsd, 9).stripTrailingZeros();
  }

  public Spend plus(Spend other) {
    return new Spend(nanoUsd + other.nanoUsd, tokens + other.tokens);
  }

  public Spend minus(Spend other) {
    return new Spend(nanoUsd - other.nanoUsd, tokens - other.tokens);
  }

  /** Whether this amount stays within {@code limit} in both units. */
  public boolean within(Spend limit) {
    return nanoUsd <= limit.nanoUsd && tokens <= limit.tokens;
  }

  /** The larger of the two shares of {@code limit} this amount is, in percent (a unit without limit counts 0). */
  public int percentOf(Spend limit) {
    return (int) Math.max(share(nanoUsd, limit.nanoUsd), share(tokens, limit.tokens));
  }

  private static long share(long part, long whole) {
    if (whole == Long.MAX_VALUE || part <= 0) {
      return 0;
    }
    return whole == 0 ? 100 : (long) Math.floor(part * 100.0 / whole);
  }
}
