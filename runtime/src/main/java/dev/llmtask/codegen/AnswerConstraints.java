package dev.llmtask.codegen;

/**
 * The Bean Validation constraints of an answer record, written out as plain code by the processor: the
 * same checks, paths and messages Hibernate Validator gives for the built-in constraints the record
 * uses, without its start-up (about 750 classes and the reading of the record's annotations in a
 * fresh JVM) or its allocations on every call.
 *
 * <p>The processor writes one only when every constraint the answer's records carry is one it can
 * check exactly so: {@code @NotNull}, {@code @NotEmpty}, {@code @NotBlank}, {@code @Size},
 * {@code @Min}, {@code @Max}, {@code @Positive}, {@code @PositiveOrZero}, {@code @Negative},
 * {@code @NegativeOrZero}, {@code @Pattern} without flags, {@code @AssertTrue}, {@code @AssertFalse}
 * and {@code @Valid}, with their default messages and groups, on records compiled in the same build.
 * Any other constraint (a custom one, a message or group of one's own, a class-level constraint, a
 * getter-style method) leaves the record to Hibernate Validator, as before.
 *
 * @param <T> the record type (the element type of a list answer)
 */
@FunctionalInterface
public interface AnswerConstraints<T> {

  /**
   * Adds each violation of {@code value}'s constraints to {@code violations}.
   *
   * @param value the decoded record, never {@code null}
   * @param prefix the path of {@code value} in the answer followed by a dot ({@code items[2].}), or {@code ""}
   *     for the root
   * @param violations where the violations go
   */
  void check(T value, String prefix, Violations violations);

  /** For a record without constraints: nothing to check, and no need of Hibernate Validator either. */
  static <T> AnswerConstraints<T> none() {
    return (value, prefix, violations) -> { };
  }
}
