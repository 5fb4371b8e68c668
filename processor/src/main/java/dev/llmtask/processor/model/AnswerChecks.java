package dev.llmtask.processor.model;

import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * The Bean Validation constraints of an answer's records that the processor writes out as code
 * ({@code dev.llmtask.codegen.AnswerConstraints}) instead of leaving them to Hibernate Validator at run
 * time: the root record (or the element record of a list answer) and every record it reaches through
 * {@code @Valid}, in discovery order. Only built when each of those constraints can be checked exactly
 * as Hibernate Validator checks it ({@link AnswerChecksReader}).
 *
 * @param records the checked records, the root first
 */
public record AnswerChecks(List<RecordChecks> records) {

  /** One record's checks, one entry per component that has any. */
  public record RecordChecks(TypeElement type, List<ComponentChecks> components) {}

  /**
   * The checks of one record component.
   *
   * @param name the component (its accessor and the path's property name)
   * @param type the component's type
   * @param rules constraints on the component itself, in declaration order
   * @param elementType the list's element type when {@code elementRules} or an element cascade apply, else null
   * @param elementRules constraints on the list's type argument ({@code List<@NotBlank String>})
   * @param cascade the record the component's value is checked as ({@code @Valid}), or null
   * @param elementCascade the record each list element is checked as ({@code @Valid List<R>} or
   *     {@code List<@Valid R>}), or null
   */
  public record ComponentChecks(String name, TypeMirror type, List<Rule> rules, TypeMirror elementType,
      List<Rule> elementRules, TypeElement cascade, TypeElement elementCascade) {}

  /**
   * One constraint as a call on {@code Violations}: {@code check} is the method ({@code notNull},
   * {@code min}, …) and {@code arguments} the Java literals after the value ({@code 0L}); for
   * {@code pattern}, {@code regexp} is the expression, held in a constant of the generated class.
   */
  public record Rule(String check, List<String> arguments, String regexp) {}
}
