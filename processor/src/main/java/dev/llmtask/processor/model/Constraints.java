package dev.llmtask.processor.model;

import java.math.BigDecimal;

/**
 * Bean Validation constraints of one slot, already mapped to JSON Schema keywords. Which of them a
 * dialect emits is the schema builder's decision ({@code minLength}/{@code maxLength} are not sent
 * to OpenAI strict mode).
 */
public record Constraints(
    BigDecimal minimum,
    BigDecimal maximum,
    BigDecimal exclusiveMinimum,
    BigDecimal exclusiveMaximum,
    Integer minItems,
    Integer maxItems,
    Integer minLength,
    Integer maxLength,
    String pattern,
    String format) {

  public static final Constraints NONE = new Constraints(null, null, null, null, null, null, null, null, null, null);

  /** Mutable accumulator. */
  public static final class Builder {
    public BigDecimal minimum;
    public BigDecimal maximum;
    public BigDecimal exclusiveMinimum;
    public BigDecimal exclusiveMaximum;
    public Integer minItems;
    public Integer maxItems;
    public Integer minLength;
    public Integer maxLength;
    public String pattern;
    public String format;

    public Constraints build() {
      return new Constraints(minimum, maximum, exclusiveMinimum, exclusiveMaximum, minItems, maxItems,
          minLength, maxLength, pattern, format);
    }
  }
}
