package dev.llmtask.codegen;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;

/**
 * Turns the model's JSON answer into the task's return value.
 *
 * <p>The parser is positioned before the answer's root object. A decoder throws
 * {@link IOException} (typically a Jackson {@code JsonProcessingException}) when the answer does
 * not fit the type; the runtime then treats the answer as invalid output.
 */
@FunctionalInterface
public interface OutputDecoder<T> {

  T decode(JsonParser parser) throws IOException;

  /**
   * For a text answer wrapped as {@code {"<property>": "…"}}, the property, so that a stream can show
   * the text itself as it arrives; {@code null} for every other answer.
   */
  default String textProperty() {
    return null;
  }

  /**
   * The record type whose Bean Validation constraints the answers are checked against (the element
   * type of a list), so the runtime can read them ahead of the first check; {@code null} when none.
   */
  default Class<?> validatedType() {
    return null;
  }

  /**
   * The constraints of {@link #validatedType()} as code the processor wrote, which the runtime checks
   * instead of asking Hibernate Validator; {@code null} when Hibernate Validator checks the answers.
   */
  default AnswerConstraints<?> constraints() {
    return null;
  }

  /** Decodes the root object as {@code type} (a record). */
  static <T> OutputDecoder<T> of(Class<T> type) {
    return JsonAnswers.root(type, null);
  }

  /** Decodes the root object as {@code type} (a record), whose constraints {@code constraints} checks. */
  static <T> OutputDecoder<T> of(Class<T> type, AnswerConstraints<? super T> constraints) {
    return JsonAnswers.root(type, java.util.Objects.requireNonNull(constraints, "constraints"));
  }

  /** Decodes the property {@code property} of the root object as {@code type} (a String, enum, number or boolean). */
  static <T> OutputDecoder<T> wrapped(Class<T> type, String property) {
    return JsonAnswers.property(type, property);
  }

  /** Decodes the array under {@code property} of the root object as a list of {@code elementType}. */
  static <T> OutputDecoder<List<T>> listOf(Class<T> elementType, String property) {
    return JsonAnswers.list(elementType, property, null);
  }

  /**
   * Decodes the array under {@code property} of the root object as a list of {@code elementType} (a
   * record), whose constraints {@code constraints} checks on each element.
   */
  static <T> OutputDecoder<List<T>> listOf(Class<T> elementType, String property,
      AnswerConstraints<? super T> constraints) {
    return JsonAnswers.list(elementType, property, java.util.Objects.requireNonNull(constraints, "constraints"));
  }
}
