package dev.llmtask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Or load a price file in the format of LiteLLM's maintained
 * {@code model_prices_and_context_window.json} with {@link #fromLiteLlm(Path)}.
 *
 * <p>A model missing from the card has an unknown cost: {@link #cost} returns {@code null}, so
 * {@link CallRecord#costUsd()} is {@code null}, never a misleading zero, and the card logs one
 * warning per such model (logger {@code dev.llmtask.RateCard}) naming it, unless the card is
 * {@link #none()}: no prices on purpose.
 */
public final class RateCard {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  /** Created on the first warning only: building a runtime then spares the logging back end's start-up. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(RateCard.class);
  }
  private static final RateCard NONE = new RateCard(Map.of(), false);
  /** A runtime's card when it is given none: one per JVM, so each unpriced model is warned about once. */
  private static final RateCard UNPRICED = new RateCard(Map.of(), true);

  private final Map<String, Rate> rates;
  private final boolean warns;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private RateCard(Map<String, Rate> rates, boolean warns) {
    this.rates = Map.copyOf(rates);
    this.warns = warns;
  }

  /**
   * A card with no rates, chosen on purpose: every cost is unknown ({@code null}), and no model is
   * warned about. A runtime given no card at all warns once per unpriced model instead.
   */
  public static RateCard none() {
    return NONE;
  }

  /** The card of a runtime given none: no prices, and one warning per unpriced model. */
  static RateCard unpriced() {
    return UNPRICED;
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

  /**
   * Estimated cost of the given usage on {@code model}, in USD, or {@code null} when the card has no
   * price for the model (the first time per model, a warning names it). Cache writes are priced at
   * the input rate; see {@link #cost(String, long, long, long, long)}.
   */
  public BigDecimal cost(String model, long inputTokens, long cachedInputTokens, long outputTokens) {
    return cost(model, inputTokens, cachedInputTokens, 0, outputTokens);
  }

  /**
   * Estimated cost in USD, or {@code null} when the card has no price for the model: the input
   * tokens that were neither read from nor written to the provider's prompt cache at the input
   * rate, cache reads at the cached-input rate, cache writes at the cache-write rate (the input rate
   * unless the card sets one) and output at the output rate.
   *
   * @param inputTokens every input token, cache reads and writes included
   */
  public BigDecimal cost(String model, long inputTokens, long cachedInputTokens, long cacheWriteTokens,
      long outputTokens) {
    Rate rate = rate(model);
    if (rate == null) {
      if (warns && warned.add(String.valueOf(model))) {
        Log.LOG.warn("No price for model {} in the rate card: costUsd is null (unknown) for its calls. Add it with"
            + " RateCard.builder().model(\"{}\", …) or load a price file with RateCard.fromLiteLlm(path)", model, model);
      }
      return null;
    }
    long uncached = Math.max(0, inputTokens - cachedInputTokens - cacheWriteTokens);
    BigDecimal micro = rate.input.multiply(BigDecimal.valueOf(uncached))
        .add(rate.cachedInput.multiply(BigDecimal.valueOf(cachedInputTokens)))
        .add(rate.cacheWrite.multiply(BigDecimal.valueOf(cacheWriteTokens)))
        .add(rate.output.multiply(BigDecimal.valueOf(outputTokens)));
    return micro.divide(MILLION, MathContext.DECIMAL64).setScale(8, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  /** The model's context window from the price file's {@code max_input_tokens}, when known. */
  public OptionalLong maxInputTokens(String model) {
    Rate rate = rate(model);
    return rate == null || rate.maxInputTokens == null ? OptionalLong.empty() : OptionalLong.of(rate.maxInputTokens);
  }

  private Rate rate(String model) {
    Rate rate = model == null ? null : rates.get(model);
    return rate != null ? rate : rates.get(Builder.ANY_MODEL);
  }

  /**
   * Loads a price file in the format of LiteLLM's {@code model_prices_and_context_window.json}: an
   * object of models, each with per-token {@code input_cost_per_token}, {@code output_cost_per_token}
   * and optionally {@code cache_read_input_token_cost} (default: the input price),
   * {@code cache_creation_input_token_cost} (default: the input price) and {@code max_input_tokens}. A model keyed as
   * {@code provider/model} whose {@code litellm_provider} is that provider is also found by the
   * bare model name. Entries without both input and output prices, the {@code sample_spec} entry
   * and unknown fields are ignored.
   *
   * @throws IOException when the file cannot be read or is not a JSON object
   */
  public static RateCard fromLiteLlm(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return fromLiteLlm(in, file.toString());
    }
  }

  static RateCard fromLiteLlm(InputStream in, String source) throws IOException {
    JsonNode root = new ObjectMapper().readTree(in);
    if (root == null || !root.isObject()) {
      throw new IOException(source + " is not a LiteLLM price file: expected a JSON object of models");
    }
    Map<String, Rate> rates = new HashMap<>();
    Map<String, Rate> bare = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode m = e.getValue();
      if (e.getKey().equals("sample_spec") || !m.path("input_cost_per_token").isNumber()
          || !m.path("output_cost_per_token").isNumber()) {
        continue;
      }
      BigDecimal input = perMillion(m.path("input_cost_per_token"));
      BigDecimal cached = m.path("cache_read_input_token_cost").isNumber()
          ? perMillion(m.path("cache_read_input_token_cost")) : input;
      BigDecimal write = m.path("cache_creation_input_token_cost").isNumber()
          ? perMillion(m.path("cache_creation_input_token_cost")) : input;
      Long maxInput = m.path("max_input_tokens").canConvertToLong() ? m.path("max_input_tokens").asLong() : null;
      Rate rate = Builder.rate(input, cached, write, perMillion(m.path("output_cost_per_token")), maxInput);
      rates.put(e.getKey(), rate);
      String prefix = m.path("litellm_provider").asText("") + "/";
      if (prefix.length() > 1 && e.getKey().startsWith(prefix)) {
        bare.put(e.getKey().substring(prefix.length()), rate);
      }
    }
    bare.forEach(rates::putIfAbsent);
    return new RateCard(rates, true);
  }

  private static BigDecimal perMillion(JsonNode perToken) {
    return perToken.decimalValue().multiply(MILLION).stripTrailingZeros();
  }

  private record Rate(BigDecimal input, BigDecimal cachedInput, BigDecimal cacheWrite, BigDecimal output,
      Long maxInputTokens) {}

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

    /**
     * USD per million input, cached input (prompt-cache reads), prompt-cache write and output tokens
     * for {@code model}, e.g. Anthropic's 5-minute writes at 1.25× the input price.
     */
    public Builder model(String model, BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion,
        BigDecimal cacheWritePerMillion, BigDecimal outputPerMillion) {
      rates.put(Policies.notBlank(model, "model"), rate(inputPerMillion, cachedInputPerMillion,
          price(cacheWritePerMillion, "cacheWrite"), outputPerMillion, null));
      return this;
    }

    /** Rates for any model not named by {@link #model}. */
    public Builder defaultRate(BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion,
        BigDecimal outputPerMillion) {
      rates.put(ANY_MODEL, rate(inputPerMillion, cachedInputPerMillion, outputPerMillion));
      return this;
    }

    private static Rate rate(BigDecimal input, BigDecimal cached, BigDecimal output) {
      return rate(input, cached, input, output, null);
    }

    private static Rate rate(BigDecimal input, BigDecimal cached, BigDecimal write, BigDecimal output,
        Long maxInputTokens) {
      return new Rate(price(input, "input"), price(cached, "cachedInput"), price(write == null ? input : write,
          "cacheWrite"), price(output, "output"), maxInputTokens);
    }

    private static BigDecimal price(BigDecimal p, String what) {
      Objects.requireNonNull(p, what);
      if (p.signum() < 0) {
        throw new IllegalArgumentException(what + " rate must not be negative, was " + p);
      }
      return p;
    }

    public RateCard build() {
      return new RateCard(rates, true);
    }
  }
}
