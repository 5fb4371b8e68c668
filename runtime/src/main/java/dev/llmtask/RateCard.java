package dev.llmtask;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prices per model in USD per million tokens, used to estimate the cost in every {@link CallRecord}.
 * Rates are configuration: build your own from your provider's current price list.
 *
 * <pre>{@code
 * RateCard card = RateCard.builder()
 *     .model("gpt-4o-mini", new BigDecimal("2"), new BigDecimal("1"), new BigDecimal("6"))
 *     .build();
 * }</pre>
 *
 * A model missing from the card costs zero (and the record says so).
 */
public final class RateCard {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final RateCard EMPTY = new RateCard(Map.of());

  private final Map<String, Rate> rates;

  private RateCard(Map<String, Rate> rates) {
    this.rates = Map.copyOf(rates);
  }

  /** A card with no rates: every cost is zero. */
  public static RateCard none() {
    return EMPTY;
  }

  /**
   * Illustrative rates for the examples and for trying llmtask out: every model at $2 per million
   * input tokens, $1 per million cached input tokens and $6 per million output tokens.
   * <strong>Not real prices</strong>; configure your own.
   */
  public static RateCard illustrative() {
    return builder().defaultRate(new BigDecimal("2"), new BigDecimal("1"), new BigDecimal("6")).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Estimated cost of the given usage on {@code model}, in USD. */
  public BigDecimal cost(String model, long inputTokens, long cachedInputTokens, long outputTokens) {
    Rate rate = model == null ? null : rates.get(model);
    if (rate == null) {
      rate = rates.get(Builder.ANY_MODEL);
    }
    if (rate == null) {
      return BigDecimal.ZERO;
    }
    long uncached = Math.max(0, inputTokens - cachedInputTokens);
    BigDecimal micro = rate.input.multiply(BigDecimal.valueOf(uncached))
        .add(rate.cachedInput.multiply(BigDecimal.valueOf(cachedInputTokens)))
        .add(rate.output.multiply(BigDecimal.valueOf(outputTokens)));
    return micro.divide(MILLION, MathContext.DECIMAL64).setScale(8, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  private record Rate(BigDecimal input, BigDecimal cachedInput, BigDecimal output) {}

  /** Builder of {@link RateCard}. */
  public static final class Builder {
    private static final String ANY_MODEL = "*";
    private final Map<String, Rate> rates = new HashMap<>();

    private Builder() {}

    /** USD per million input, cached input and output tokens for {@code model}. */
    public Builder model(String model, BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion,
        BigDecimal outputPerMillion) {
      rates.put(Policies.notBlank(model, "model"), rate(inputPerMillion, cachedInputPerMillion, outputPerMillion));
      return this;
    }

    /** Rates for any model not named by {@link #model}. */
    public Builder defaultRate(BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion,
        BigDecimal outputPerMillion) {
      rates.put(ANY_MODEL, rate(inputPerMillion, cachedInputPerMillion, outputPerMillion));
      return this;
    }

    private static Rate rate(BigDecimal input, BigDecimal cached, BigDecimal output) {
      return new Rate(price(input, "input"), price(cached, "cachedInput"), price(output, "output"));
    }

    private static BigDecimal price(BigDecimal p, String what) {
      Objects.requireNonNull(p, what);
      if (p.signum() < 0) {
        throw new IllegalArgumentException(what + " rate must not be negative, was " + p);
      }
      return p;
    }

    public RateCard build() {
      return new RateCard(rates);
    }
  }
}
