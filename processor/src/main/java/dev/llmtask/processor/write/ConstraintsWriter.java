package dev.llmtask.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.llmtask.processor.model.AnswerChecks;
import dev.llmtask.processor.model.AnswerChecks.ComponentChecks;
import dev.llmtask.processor.model.AnswerChecks.RecordChecks;
import dev.llmtask.processor.model.AnswerChecks.Rule;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Types;

/**
 * Writes each answer record's Bean Validation constraints as a static method of the generated class,
 * {@code check<Record>(value, prefix, violations)}, which the record's decoder hands to the runtime as
 * its {@code AnswerConstraints}: one method per record, shared by the tasks that return it, and one
 * {@code Pattern} constant per {@code @Pattern} expression.
 */
public final class ConstraintsWriter {
  private static final ClassName VIOLATIONS = ClassName.get("dev.llmtask.codegen", "Violations");
  private static final ClassName ANSWER_CONSTRAINTS = ClassName.get("dev.llmtask.codegen", "AnswerConstraints");
  private static final ClassName PATTERN = ClassName.get("java.util.regex", "Pattern");
  private static final ClassName LIST = ClassName.get("java.util", "List");
  /** Names the method's parameters and loop use, which a component's local must not take. */
  private static final Set<String> RESERVED = Set.of("value", "prefix", "violations", "i", "item");

  private final Types types;
  private final Set<String> methodNames;
  private final Set<String> constants;
  private final Map<String, String> methods = new LinkedHashMap<>(); // record -> its method
  private final Map<String, RecordChecks> records = new LinkedHashMap<>();
  private final Map<String, String> patterns = new HashMap<>(); // expression -> its constant

  /** {@code methodNames} and {@code constants} are the names the generated class already uses. */
  public ConstraintsWriter(Types types, Set<String> methodNames, Set<String> constants) {
    this.types = types;
    this.methodNames = methodNames;
    this.constants = constants;
  }

  /**
   * What a decoder factory takes after its other arguments: {@code , <method reference>} when the
   * processor writes {@code checks} as code, nothing when {@code checks} is null (Hibernate Validator
   * checks the record).
   */
  public CodeBlock decoderArgument(ClassName generated, AnswerChecks checks) {
    return checks == null ? CodeBlock.of("") : CodeBlock.of(", $L", reference(generated, checks));
  }

  /** The method reference that checks the root record of {@code checks}, e.g. {@code RotationDesk_LlmTask::checkRotationDecision}. */
  private CodeBlock reference(ClassName generated, AnswerChecks checks) {
    if (checks.records().size() == 1 && checks.records().get(0).components().isEmpty()) {
      return CodeBlock.of("$T.none()", ANSWER_CONSTRAINTS);
    }
    for (RecordChecks r : checks.records()) {
      register(r);
    }
    return CodeBlock.of("$T::$N", generated, methods.get(checks.records().get(0).type().getQualifiedName().toString()));
  }

  private void register(RecordChecks r) {
    String qn = r.type().getQualifiedName().toString();
    if (!methods.containsKey(qn)) {
      methods.put(qn, ImplementationWriter.unique("check" + r.type().getSimpleName(), methodNames));
      records.put(qn, r);
    }
  }

  /** Adds the registered records' methods and their pattern constants to {@code type}. */
  public void writeTo(TypeSpec.Builder type) {
    for (RecordChecks r : records.values()) {
      type.addMethod(method(r, type));
    }
  }

  private MethodSpec method(RecordChecks r, TypeSpec.Builder type) {
    TypeName record = ClassName.get(r.type());
    MethodSpec.Builder m = MethodSpec.methodBuilder(methods.get(r.type().getQualifiedName().toString()))
        .addJavadoc("The Bean Validation constraints of {@link $T}, checked as Hibernate Validator checks them.\n", record)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(record, "value")
        .addParameter(String.class, "prefix")
        .addParameter(VIOLATIONS, "violations");
    for (ComponentChecks c : r.components()) {
      CodeBlock read = CodeBlock.of("value.$N()", c.name());
      for (Rule rule : c.rules()) {
        m.addStatement(call(rule, c.name(), CodeBlock.of("$T.COMPONENT", VIOLATIONS), read, type));
      }
      if (c.cascade() != null) {
        m.beginControlFlow("if ($L != null)", read)
            .addStatement("$N($L, prefix + $S, violations)", methodOf(c.cascade()), read, c.name() + ".")
            .endControlFlow();
      }
      if (c.elementType() != null) {
        String local = RESERVED.contains(c.name()) ? c.name() + "List" : c.name();
        TypeName element = TypeName.get(types.erasure(c.elementType())).box();
        m.addStatement("$T $N = $L", ParameterizedTypeName.get(LIST, element), local, read)
            .beginControlFlow("if ($N != null)", local)
            .beginControlFlow("for (int i = 0; i < $N.size(); i++)", local)
            .addStatement("$T item = $N.get(i)", element, local);
        for (Rule rule : c.elementRules()) {
          m.addStatement(call(rule, c.name(), CodeBlock.of("i"), CodeBlock.of("item"), type));
        }
        if (c.elementCascade() != null) {
          m.beginControlFlow("if (item != null)")
              .addStatement("$N(item, prefix + $S + i + $S, violations)", methodOf(c.elementCascade()), c.name() + "[",
                  "].")
              .endControlFlow();
        }
        m.endControlFlow().endControlFlow();
      }
    }
    return m.build();
  }

  private String methodOf(TypeElement record) {
    return methods.get(record.getQualifiedName().toString());
  }

  private CodeBlock call(Rule rule, String property, CodeBlock index, CodeBlock value, TypeSpec.Builder type) {
    CodeBlock.Builder b = CodeBlock.builder().add("violations.$N(prefix, $S, $L, $L", rule.check(), property, index, value);
    for (String argument : rule.arguments()) {
      b.add(", $L", argument);
    }
    if (rule.regexp() != null) {
      b.add(", $N", pattern(rule.regexp(), property, type));
    }
    return b.add(")").build();
  }

  private String pattern(String regexp, String property, TypeSpec.Builder type) {
    String existing = patterns.get(regexp);
    if (existing != null) {
      return existing;
    }
    String constant = ImplementationWriter.unique(dev.llmtask.processor.model.Names.constantCase(property) + "_PATTERN", constants);
    patterns.put(regexp, constant);
    type.addField(FieldSpec.builder(PATTERN, constant, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.compile($S)", PATTERN, regexp).build());
    return constant;
  }
}
