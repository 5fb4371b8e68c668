package dev.llmtask.processor.model;

import dev.llmtask.processor.model.AnswerChecks.ComponentChecks;
import dev.llmtask.processor.model.AnswerChecks.RecordChecks;
import dev.llmtask.processor.model.AnswerChecks.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Reads what Hibernate Validator would check on an answer record, as {@link AnswerChecks}, or decides
 * to leave the record to it. What Hibernate Validator sees of a record: the constraints on each
 * component's field (javac copies a component's annotations there) and on its list type argument,
 * cascading through {@code @Valid}, plus class-level constraints, getter-style methods and interfaces,
 * which this reader does not write out.
 *
 * <p>Conservative on purpose: anything it is not sure to check exactly as Hibernate Validator does (a
 * constraint other than the built-ins listed in {@code AnswerConstraints}, a message, group, payload or
 * flag of one's own, a constraint on a type it does not apply to, an {@code Optional} with constraints,
 * nested lists with constraints, a record from a class file, whose type-argument annotations javac 17
 * cannot see) gives {@code null}: the answers are then checked by Hibernate Validator, as before.
 */
final class AnswerChecksReader {
  private static final String CONSTRAINTS = "jakarta.validation.constraints.";
  private static final String VALID = "jakarta.validation.Valid";
  private static final String CONSTRAINT_META = "jakarta.validation.Constraint";
  private static final Pattern GETTER = Pattern.compile("(get|is|has)[A-Z0-9_$].*");
  private static final Set<String> NUMBERS = Set.of("java.lang.Integer", "java.lang.Long", "java.lang.Short",
      "java.lang.Byte", "java.lang.Double", "java.math.BigInteger", "java.math.BigDecimal");

  private final Annotations annotations;
  private final Predicate<Element> fromSource;
  private final Map<String, RecordChecks> done = new LinkedHashMap<>();
  private final Set<String> inProgress = new java.util.HashSet<>();

  private AnswerChecksReader(Annotations annotations, Predicate<Element> fromSource) {
    this.annotations = annotations;
    this.fromSource = fromSource;
  }

  /** The checks of {@code root} and the records it cascades to, or null when Hibernate Validator must check them. */
  static AnswerChecks read(TypeElement root, Annotations annotations, Predicate<Element> fromSource) {
    AnswerChecksReader reader = new AnswerChecksReader(annotations, fromSource);
    if (!reader.record(root)) {
      return null;
    }
    List<RecordChecks> records = new ArrayList<>();
    records.add(reader.done.remove(root.getQualifiedName().toString())); // read last: it waits for its cascades
    records.addAll(reader.done.values());
    return new AnswerChecks(List.copyOf(records));
  }

  /** Reads {@code record} and what it cascades to; false when any of it is left to Hibernate Validator. */
  private boolean record(TypeElement record) {
    String qn = record.getQualifiedName().toString();
    if (done.containsKey(qn) || !inProgress.add(qn)) {
      return true; // read, or being read further up (a recursive record)
    }
    if (record.getKind() != ElementKind.RECORD || !fromSource.test(record) || !record.getInterfaces().isEmpty()
        || !record.getTypeParameters().isEmpty() || anyValidation(record.getAnnotationMirrors())) {
      return false;
    }
    for (ExecutableElement m : ElementFilter.methodsIn(record.getEnclosedElements())) {
      if (!m.getModifiers().contains(Modifier.STATIC) && m.getParameters().isEmpty()
          && GETTER.matcher(m.getSimpleName()).matches() && anyValidation(m.getAnnotationMirrors())) {
        return false; // a getter Hibernate Validator would check as a property of its own
      }
    }
    Map<String, VariableElement> fields = new LinkedHashMap<>();
    for (VariableElement f : ElementFilter.fieldsIn(record.getEnclosedElements())) {
      fields.put(f.getSimpleName().toString(), f);
    }
    List<ComponentChecks> components = new ArrayList<>();
    for (RecordComponentElement rc : record.getRecordComponents()) {
      VariableElement field = fields.get(rc.getSimpleName().toString());
      if (field == null) {
        return false;
      }
      ComponentChecks c = component(field);
      if (c == null) {
        return false;
      }
      if (!c.rules().isEmpty() || !c.elementRules().isEmpty() || c.cascade() != null || c.elementCascade() != null) {
        components.add(c);
      }
    }
    inProgress.remove(qn);
    done.put(qn, new RecordChecks(record, List.copyOf(components)));
    return true;
  }

  private ComponentChecks component(VariableElement field) {
    String name = field.getSimpleName().toString();
    TypeMirror type = field.asType();
    List<? extends AnnotationMirror> declared = field.getAnnotationMirrors();
    // a type-use-only constraint on the component's type is not among the field's own annotations
    for (AnnotationMirror a : type.getAnnotationMirrors()) {
      if (isValidation(a) && declared.stream().noneMatch(d -> Annotations.name(d).equals(Annotations.name(a)))) {
        return null;
      }
    }
    boolean list = TypeText.is(type, "java.util.List");
    if (TypeText.is(type, "java.util.Optional")) {
      return anyValidation(declared) || deepValidation(type) ? null
          : new ComponentChecks(name, type, List.of(), null, List.of(), null, null);
    }
    List<Rule> rules = new ArrayList<>();
    boolean valid = false;
    for (AnnotationMirror a : declared) {
      if (Annotations.name(a).equals(VALID)) {
        valid = true;
      } else if (type.getKind().isPrimitive() && Annotations.name(a).equals(CONSTRAINTS + "NotNull")
          && a.getElementValues().isEmpty()) {
        continue; // a primitive is never null: Hibernate Validator's check always passes
      } else if (isValidation(a)) {
        Rule r = rule(a, type, list);
        if (r == null) {
          return null;
        }
        rules.add(r);
      }
    }
    TypeElement cascade = null;
    TypeMirror elementType = null;
    List<Rule> elementRules = new ArrayList<>();
    TypeElement elementCascade = null;
    if (list) {
      List<? extends TypeMirror> args = ((DeclaredType) type).getTypeArguments();
      if (args.size() != 1) {
        return null;
      }
      TypeMirror element = args.get(0);
      if (deepValidation(element)) {
        return null; // constraints inside a nested container: paths this reader does not write
      }
      boolean elementValid = valid;
      for (AnnotationMirror a : element.getAnnotationMirrors()) {
        if (Annotations.name(a).equals(VALID)) {
          elementValid = true;
        } else if (isValidation(a)) {
          Rule r = rule(a, element, false);
          if (r == null) {
            return null;
          }
          elementRules.add(r);
        }
      }
      if (elementValid) {
        TypeElement r = recordOf(element);
        if (r == null || !record(r)) {
          return null;
        }
        elementCascade = r;
      }
      if (!elementRules.isEmpty() || elementCascade != null) {
        elementType = element;
      }
    } else if (valid) {
      TypeElement r = recordOf(type);
      if (r == null || !record(r)) {
        return null;
      }
      cascade = r;
    }
    return new ComponentChecks(name, type, List.copyOf(rules), elementType, List.copyOf(elementRules), cascade,
        elementCascade);
  }

  /** The rule for a constraint on a value of {@code type}, or null when Hibernate Validator must check it. */
  private Rule rule(AnnotationMirror a, TypeMirror type, boolean list) {
    String qn = Annotations.name(a);
    if (!qn.startsWith(CONSTRAINTS) || qn.indexOf('.', CONSTRAINTS.length()) >= 0) {
      return null; // a custom or Hibernate Validator constraint, or a repeated one's container
    }
    String simple = qn.substring(CONSTRAINTS.length());
    Set<String> allowed = switch (simple) {
      case "Min", "Max" -> Set.of("value");
      case "Size" -> Set.of("min", "max");
      case "Pattern" -> Set.of("regexp");
      default -> Set.of();
    };
    for (ExecutableElement attribute : a.getElementValues().keySet()) {
      if (!allowed.contains(attribute.getSimpleName().toString())) {
        return null; // a message, group, payload or flag of one's own
      }
    }
    boolean string = TypeText.is(type, "java.lang.String");
    boolean number = isNumber(type);
    boolean bool = type.getKind() == TypeKind.BOOLEAN || TypeText.is(type, "java.lang.Boolean");
    boolean reference = !type.getKind().isPrimitive();
    return switch (simple) {
      case "NotNull" -> reference ? new Rule("notNull", List.of(), null) : null;
      case "NotEmpty" -> string || list ? new Rule("notEmpty", List.of(), null) : null;
      case "NotBlank" -> string ? new Rule("notBlank", List.of(), null) : null;
      case "Size" -> {
        int min = annotations.integer(a, "min", 0);
        int max = annotations.integer(a, "max", Integer.MAX_VALUE);
        yield (string || list) && min >= 0 && max >= min ? new Rule("size", List.of(min + "", max + ""), null) : null;
      }
      case "Min", "Max" -> {
        Object v = annotations.value(a, "value");
        yield number && v instanceof Long l
            ? new Rule(simple.equals("Min") ? "min" : "max", List.of(l + "L"), null) : null;
      }
      case "Positive" -> number ? new Rule("positive", List.of(), null) : null;
      case "PositiveOrZero" -> number ? new Rule("positiveOrZero", List.of(), null) : null;
      case "Negative" -> number ? new Rule("negative", List.of(), null) : null;
      case "NegativeOrZero" -> number ? new Rule("negativeOrZero", List.of(), null) : null;
      case "Pattern" -> {
        String regexp = annotations.string(a, "regexp");
        yield string && compiles(regexp) ? new Rule("pattern", List.of(), regexp) : null;
      }
      case "AssertTrue" -> bool ? new Rule("assertTrue", List.of(), null) : null;
      case "AssertFalse" -> bool ? new Rule("assertFalse", List.of(), null) : null;
      default -> null;
    };
  }

  private static boolean compiles(String regexp) {
    try {
      Pattern.compile(regexp);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  private static boolean isNumber(TypeMirror type) {
    return switch (type.getKind()) {
      case INT, LONG, SHORT, BYTE, DOUBLE -> true;
      case DECLARED -> NUMBERS.contains(((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString());
      default -> false;
    };
  }

  /** Whether the annotation is one Bean Validation acts on: {@code @Valid}, a constraint, or Hibernate Validator's. */
  private static boolean isValidation(AnnotationMirror a) {
    String qn = Annotations.name(a);
    if (qn.startsWith("jakarta.validation.") || qn.startsWith("org.hibernate.validator.")) {
      return true;
    }
    for (AnnotationMirror meta : a.getAnnotationType().asElement().getAnnotationMirrors()) {
      if (Annotations.name(meta).equals(CONSTRAINT_META)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyValidation(List<? extends AnnotationMirror> all) {
    return all.stream().anyMatch(AnswerChecksReader::isValidation);
  }

  /** Whether a validation annotation sits on {@code type}'s type arguments, at any depth. */
  private static boolean deepValidation(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    for (TypeMirror arg : ((DeclaredType) type).getTypeArguments()) {
      if (anyValidation(arg.getAnnotationMirrors()) || deepValidation(arg)) {
        return true;
      }
    }
    return false;
  }

  private static TypeElement recordOf(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    Element e = ((DeclaredType) type).asElement();
    return e.getKind() == ElementKind.RECORD ? (TypeElement) e : null;
  }
}
