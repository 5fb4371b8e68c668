package dev.llmtask.codegen;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The violations {@link AnswerConstraints} find, each as {@code path: message} with Hibernate
 * Validator's path ({@code owner.name}, {@code tags[0].<list element>}) and its default English
 * message, sorted. Each check takes the path of the value: the prefix of its record, the component's
 * name, and {@link #COMPONENT} for the component itself or the index of a list element whose type
 * argument carries the constraint. A {@code null} value passes every check but {@code @NotNull},
 * {@code @NotEmpty} and {@code @NotBlank}, as in Bean Validation. A passing check allocates nothing.
 */
public final class Violations {
  /** The index that stands for the component itself rather than one of its list elements. */
  public static final int COMPONENT = -1;

  private TreeSet<String> found;

  /** An empty set of violations. */
  public Violations() {}

  /** Whether no check failed. */
  public boolean isEmpty() {
    return found == null;
  }

  /** The violations in order, {@code List.of()} when none. */
  public List<String> toList() {
    return found == null ? List.of() : new ArrayList<>(found);
  }

  /** Adds a violation at the given place: the one way all checks report. */
  public void add(String prefix, String property, int index, String message) {
    if (found == null) {
      found = new TreeSet<>();
    }
    found.add(index == COMPONENT ? prefix + property + ": " + message
        : prefix + property + "[" + index + "].<list element>: " + message);
  }

  // @NotNull, @NotEmpty, @NotBlank

  public void notNull(String prefix, String property, int index, Object value) {
    if (value == null) {
      add(prefix, property, index, "must not be null");
    }
  }

  public void notEmpty(String prefix, String property, int index, CharSequence value) {
    if (value == null || value.length() == 0) {
      add(prefix, property, index, "must not be empty");
    }
  }

  public void notEmpty(String prefix, String property, int index, Collection<?> value) {
    if (value == null || value.isEmpty()) {
      add(prefix, property, index, "must not be empty");
    }
  }

  /** Blank as Hibernate Validator sees it: {@link String#isBlank()}, white space by {@link Character#isWhitespace}. */
  public void notBlank(String prefix, String property, int index, CharSequence value) {
    if (value == null || value.toString().isBlank()) {
      add(prefix, property, index, "must not be blank");
    }
  }

  // @Size: the length of a string in UTF-16 units, the size of a list

  public void size(String prefix, String property, int index, CharSequence value, int min, int max) {
    if (value != null && (value.length() < min || value.length() > max)) {
      add(prefix, property, index, "size must be between " + min + " and " + max);
    }
  }

  public void size(String prefix, String property, int index, Collection<?> value, int min, int max) {
    if (value != null && (value.size() < min || value.size() > max)) {
      add(prefix, property, index, "size must be between " + min + " and " + max);
    }
  }

  // @Min, @Max: integers exactly, doubles as Double.compare with the bound, NaN never in range

  public void min(String prefix, String property, int index, long value, long min) {
    if (value < min) {
      add(prefix, property, index, "must be greater than or equal to " + min);
    }
  }

  public void min(String prefix, String property, int index, double value, long min) {
    if (Double.isNaN(value) || Double.compare(value, min) < 0) {
      add(prefix, property, index, "must be greater than or equal to " + min);
    }
  }

  public void min(String prefix, String property, int index, Number value, long min) {
    if (value instanceof Double d) {
      min(prefix, property, index, d.doubleValue(), min);
    } else if (value != null && compare(value, min) < 0) {
      add(prefix, property, index, "must be greater than or equal to " + min);
    }
  }

  public void max(String prefix, String property, int index, long value, long max) {
    if (value > max) {
      add(prefix, property, index, "must be less than or equal to " + max);
    }
  }

  public void max(String prefix, String property, int index, double value, long max) {
    if (Double.isNaN(value) || Double.compare(value, max) > 0) {
      add(prefix, property, index, "must be less than or equal to " + max);
    }
  }

  public void max(String prefix, String property, int index, Number value, long max) {
    if (value instanceof Double d) {
      max(prefix, property, index, d.doubleValue(), max);
    } else if (value != null && compare(value, max) > 0) {
      add(prefix, property, index, "must be less than or equal to " + max);
    }
  }

  // @Positive, @PositiveOrZero, @Negative, @NegativeOrZero: the sign of the value against 0

  public void positive(String prefix, String property, int index, long value) {
    if (value <= 0) {
      add(prefix, property, index, "must be greater than 0");
    }
  }

  public void positive(String prefix, String property, int index, double value) {
    if (Double.isNaN(value) || Double.compare(value, 0d) <= 0) {
      add(prefix, property, index, "must be greater than 0");
    }
  }

  public void positive(String prefix, String property, int index, Number value) {
    if (value instanceof Double d) {
      positive(prefix, property, index, d.doubleValue());
    } else if (value != null && compare(value, 0) <= 0) {
      add(prefix, property, index, "must be greater than 0");
    }
  }

  public void positiveOrZero(String prefix, String property, int index, long value) {
    if (value < 0) {
      add(prefix, property, index, "must be greater than or equal to 0");
    }
  }

  public void positiveOrZero(String prefix, String property, int index, double value) {
    if (Double.isNaN(value) || Double.compare(value, 0d) < 0) {
      add(prefix, property, index, "must be greater than or equal to 0");
    }
  }

  public void positiveOrZero(String prefix, String property, int index, Number value) {
    if (value instanceof Double d) {
      positiveOrZero(prefix, property, index, d.doubleValue());
    } else if (value != null && compare(value, 0) < 0) {
      add(prefix, property, index, "must be greater than or equal to 0");
    }
  }

  public void negative(String prefix, String property, int index, long value) {
    if (value >= 0) {
      add(prefix, property, index, "must be less than 0");
    }
  }

  public void negative(String prefix, String property, int index, double value) {
    if (Double.isNaN(value) || Double.compare(value, 0d) >= 0) {
      add(prefix, property, index, "must be less than 0");
    }
  }

  public void negative(String prefix, String property, int index, Number value) {
    if (value instanceof Double d) {
      negative(prefix, property, index, d.doubleValue());
    } else if (value != null && compare(value, 0) >= 0) {
      add(prefix, property, index, "must be less than 0");
    }
  }

  public void negativeOrZero(String prefix, String property, int index, long value) {
    if (value > 0) {
      add(prefix, property, index, "must be less than or equal to 0");
    }
  }

  public void negativeOrZero(String prefix, String property, int index, double value) {
    if (Double.isNaN(value) || Double.compare(value, 0d) > 0) {
      add(prefix, property, index, "must be less than or equal to 0");
    }
  }

  public void negativeOrZero(String prefix, String property, int index, Number value) {
    if (value instanceof Double d) {
      negativeOrZero(prefix, property, index, d.doubleValue());
    } else if (value != null && compare(value, 0) > 0) {
      add(prefix, property, index, "must be less than or equal to 0");
    }
  }

  // @Pattern (no flags): the whole value must match; the message quotes the expression as written

  public void pattern(String prefix, String property, int index, CharSequence value, Pattern pattern) {
    if (value != null && !pattern.matcher(value).matches()) {
      add(prefix, property, index, "must match \"" + pattern.pattern() + "\"");
    }
  }

  // @AssertTrue, @AssertFalse

  public void assertTrue(String prefix, String property, int index, Boolean value) {
    if (value != null && !value) {
      add(prefix, property, index, "must be true");
    }
  }

  public void assertFalse(String prefix, String property, int index, Boolean value) {
    if (value != null && value) {
      add(prefix, property, index, "must be false");
    }
  }

  /** An integer or arbitrary-precision number (never a Double: its overload takes it) against a {@code long} bound. */
  private static int compare(Number value, long bound) {
    if (value instanceof BigDecimal d) {
      return d.compareTo(BigDecimal.valueOf(bound));
    }
    if (value instanceof BigInteger i) {
      return i.compareTo(BigInteger.valueOf(bound));
    }
    return Long.compare(value.longValue(), bound);
  }
}
