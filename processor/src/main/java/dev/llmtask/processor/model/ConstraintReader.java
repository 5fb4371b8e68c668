package dev.llmtask.processor.model;

import java.math.BigDecimal;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;

/** Maps the Bean Validation constraints of one answer value to the JSON Schema keywords they stand for. */
final class ConstraintReader {
  private final Annotations annotations;

  ConstraintReader(Annotations annotations) {
    this.annotations = annotations;
  }

  /**
   * Maps Bean Validation constraints ({@code jakarta.validation.constraints} or
   * {@code javax.validation.constraints}) to schema keywords for a value of {@code kind}
   * ({@code array} true for lists).
   */
  Constraints read(List<AnnotationMirror> all, ValueType.ScalarKind kind, boolean array) {
    Constraints.Builder c = new Constraints.Builder();
    boolean numeric = kind == ValueType.ScalarKind.INTEGER || kind == ValueType.ScalarKind.NUMBER;
    boolean string = kind == ValueType.ScalarKind.STRING;
    for (AnnotationMirror a : all) {
      String qn = Annotations.name(a);
      if (!qn.startsWith("jakarta.validation.constraints.") && !qn.startsWith("javax.validation.constraints.")) {
        continue;
      }
      String simple = Annotations.simpleName(a);
      if (numeric) {
        switch (simple) {
          case "Min" -> c.minimum = max(c.minimum, number(annotations.value(a, "value")));
          case "Max" -> c.maximum = min(c.maximum, number(annotations.value(a, "value")));
          case "DecimalMin" -> {
            BigDecimal v = number(annotations.value(a, "value"));
            if (Boolean.FALSE.equals(annotations.value(a, "inclusive"))) {
              c.exclusiveMinimum = max(c.exclusiveMinimum, v);
            } else {
              c.minimum = max(c.minimum, v);
            }
          }
          case "DecimalMax" -> {
            BigDecimal v = number(annotations.value(a, "value"));
            if (Boolean.FALSE.equals(annotations.value(a, "inclusive"))) {
              c.exclusiveMaximum = min(c.exclusiveMaximum, v);
            } else {
              c.maximum = min(c.maximum, v);
            }
          }
          case "Positive" -> c.exclusiveMinimum = max(c.exclusiveMinimum, BigDecimal.ZERO);
          case "PositiveOrZero" -> c.minimum = max(c.minimum, BigDecimal.ZERO);
          case "Negative" -> c.exclusiveMaximum = min(c.exclusiveMaximum, BigDecimal.ZERO);
          case "NegativeOrZero" -> c.maximum = min(c.maximum, BigDecimal.ZERO);
          default -> { }
        }
      } else if (array) {
        switch (simple) {
          case "Size" -> {
            int lo = annotations.integer(a, "min", 0);
            int hi = annotations.integer(a, "max", Integer.MAX_VALUE);
            if (lo > 0) {
              c.minItems = Math.max(c.minItems == null ? 0 : c.minItems, lo);
            }
            if (hi < Integer.MAX_VALUE) {
              c.maxItems = c.maxItems == null ? hi : Math.min(c.maxItems, hi);
            }
          }
          case "NotEmpty" -> c.minItems = Math.max(c.minItems == null ? 0 : c.minItems, 1);
          default -> { }
        }
      } else if (string) {
        switch (simple) {
          case "Size" -> {
            int lo = annotations.integer(a, "min", 0);
            int hi = annotations.integer(a, "max", Integer.MAX_VALUE);
            if (lo > 0) {
              c.minLength = Math.max(c.minLength == null ? 0 : c.minLength, lo);
            }
            if (hi < Integer.MAX_VALUE) {
              c.maxLength = c.maxLength == null ? hi : Math.min(c.maxLength, hi);
            }
          }
          case "NotEmpty", "NotBlank" -> c.minLength = Math.max(c.minLength == null ? 0 : c.minLength, 1);
          case "Pattern" -> c.pattern = annotations.string(a, "regexp");
          case "Email" -> c.format = "email";
          default -> { }
        }
      }
    }
    return c.build();
  }

  private static BigDecimal number(Object v) {
    if (v == null) {
      return null;
    }
    try {
      return new BigDecimal(v.toString().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static BigDecimal max(BigDecimal a, BigDecimal b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.max(b);
  }

  private static BigDecimal min(BigDecimal a, BigDecimal b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.min(b);
  }
}
