package dev.llmtask;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model's sampling settings: temperature, top_p, output token cap, seed and stop sequences. Each
 * is optional; an unset one is taken from the next source in the precedence order (a call's
 * {@link CallOptions}, the runtime's per-task options, the route's settings, the annotation, the
 * runtime default) and, if none sets it, not sent at all (the provider's own default applies),
 * except the output token cap, which is always sent (default 4096).
 *
 * <pre>{@code
 * Sampling precise = Sampling.builder().temperature(0.0).seed(7).build();
 * }</pre>
 *
 * Each provider adapter sends what its API accepts and refuses, when the task or runtime is wired,
 * what it cannot send (Anthropic Messages has no seed).
 */
public final class Sampling {
  private static final Sampling NONE = new Builder().build();
  /** OpenAI accepts at most four stop sequences. */
  public static final int MAX_STOP_SEQUENCES = 4;

  private final Double temperature;
  private final Double topP;
  private final Integer maxOutputTokens;
  private final Long seed;
  private final List<String> stop;

  private Sampling(Double temperature, Double topP, Integer maxOutputTokens, Long seed, List<String> stop) {
    this.temperature = temperature;
    this.topP = topP;
    this.maxOutputTokens = maxOutputTokens;
    this.seed = seed;
    this.stop = stop == null ? null : List.copyOf(stop);
  }

  /** No settings. */
  public static Sampling none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Temperature (0 to 2; Anthropic 0 to 1), or {@code null}. */
  public Double temperature() {
    return temperature;
  }

  /** Nucleus sampling top_p (above 0, at most 1), or {@code null}. */
  public Double topP() {
    return topP;
  }

  /** Output token cap per model turn (at least 1), or {@code null}. */
  public Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /** Seed for reproducible sampling (OpenAI), or {@code null}. */
  public Long seed() {
    return seed;
  }

  /** Stop sequences (at most {@value #MAX_STOP_SEQUENCES}), or {@code null}. */
  public List<String> stop() {
    return stop;
  }

  /** True when no setting is set. */
  public boolean isEmpty() {
    return temperature == null && topP == null && maxOutputTokens == null && seed == null && stop == null;
  }

  /** These settings, with each one left unset here taken from {@code fallback}. */
  public Sampling or(Sampling fallback) {
    Objects.requireNonNull(fallback, "fallback");
    if (fallback.isEmpty() || this == fallback) {
      return this;
    }
    if (isEmpty()) {
      return fallback;
    }
    return new Sampling(temperature != null ? temperature : fallback.temperature,
        topP != null ? topP : fallback.topP,
        maxOutputTokens != null ? maxOutputTokens : fallback.maxOutputTokens,
        seed != null ? seed : fallback.seed,
        stop != null ? stop : fallback.stop);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sampling s && Objects.equals(temperature, s.temperature) && Objects.equals(topP, s.topP)
        && Objects.equals(maxOutputTokens, s.maxOutputTokens) && Objects.equals(seed, s.seed)
        && Objects.equals(stop, s.stop);
  }

  @Override
  public int hashCode() {
    return Objects.hash(temperature, topP, maxOutputTokens, seed, stop);
  }

  /** The settings that are set; stop sequences only by count (they may be customer text). */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Sampling[");
    String sep = "";
    if (temperature != null) {
      b.append("temperature=").append(temperature);
      sep = ", ";
    }
    if (topP != null) {
      b.append(sep).append("topP=").append(topP);
      sep = ", ";
    }
    if (maxOutputTokens != null) {
      b.append(sep).append("maxOutputTokens=").append(maxOutputTokens);
      sep = ", ";
    }
    if (seed != null) {
      b.append(sep).append("seed=").append(seed);
      sep = ", ";
    }
    if (stop != null) {
      b.append(sep).append("stop=").append(stop.size()).append(" sequences");
    }
    return b.append(']').toString();
  }

  /** Builder of {@link Sampling}; each value is checked as it is set, naming the setting. */
  public static final class Builder {
    private Double temperature;
    private Double topP;
    private Integer maxOutputTokens;
    private Long seed;
    private List<String> stop;

    private Builder() {}

    /** Temperature, 0 to 2 (Anthropic accepts at most 1, checked when the route is wired). */
    public Builder temperature(double temperature) {
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be between 0 and 2, was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /** top_p, above 0 and at most 1. */
    public Builder topP(double topP) {
      if (!(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("topP must be above 0 and at most 1, was " + topP);
      }
      this.topP = topP;
      return this;
    }

    /** Output token cap per model turn, at least 1 (OpenAI {@code max_completion_tokens}, Anthropic {@code max_tokens}). */
    public Builder maxOutputTokens(int maxOutputTokens) {
      this.maxOutputTokens = Policies.atLeastOne(maxOutputTokens, "maxOutputTokens");
      return this;
    }

    /** Seed, zero or more (OpenAI {@code seed}; Anthropic has none). */
    public Builder seed(long seed) {
      if (seed < 0) {
        throw new IllegalArgumentException("seed must be zero or more, was " + seed);
      }
      this.seed = seed;
      return this;
    }

    /** Stop sequences: one to {@value #MAX_STOP_SEQUENCES}, none empty. */
    public Builder stop(String... sequences) {
      Objects.requireNonNull(sequences, "sequences");
      if (sequences.length == 0 || sequences.length > MAX_STOP_SEQUENCES) {
        throw new IllegalArgumentException("stop takes 1 to " + MAX_STOP_SEQUENCES + " sequences, was "
            + sequences.length);
      }
      List<String> list = new ArrayList<>(sequences.length);
      for (String s : sequences) {
        if (s == null || s.isEmpty()) {
          throw new IllegalArgumentException("a stop sequence must not be empty");
        }
        list.add(s);
      }
      this.stop = list;
      return this;
    }

    public Sampling build() {
      return new Sampling(temperature, topP, maxOutputTokens, seed, stop);
    }
  }
}
