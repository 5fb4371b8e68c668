package dev.llmtask.processor.check;

import dev.llmtask.processor.model.TypeText;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The types a task parameter may have to be rendered into a prompt (String, primitives and their boxes,
 * enums, records, and {@code List}/{@code Optional} of those; records' components by the same rule), and
 * the record components a {@code {{parameter.component}}} path reads.
 */
final class PromptValues {
  static final String SUPPORTED = "a prompt parameter is a String, a primitive or its box, an enum, a record, "
      + "or a List<…> or Optional<…> of those";

  private static final Set<String> SCALARS = Set.of("java.lang.String", "java.lang.Boolean", "java.lang.Byte",
      "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Character", "java.lang.Float",
      "java.lang.Double");

  private final Types types;
  private final TypeMirror collection;

  PromptValues(Types types, Elements elements) {
    this.types = types;
    TypeElement c = elements.getTypeElement("java.util.Collection");
    this.collection = c == null ? null : types.erasure(c.asType());
  }

  /** Why a value of {@code type} cannot be rendered into a prompt: the offending type, where it sits, and what to write. */
  record Unrenderable(String path, String type, String advice) {}

  /** The first part of {@code type} that cannot be rendered, if any. */
  Optional<Unrenderable> check(TypeMirror type) {
    return Optional.ofNullable(check(type, null, new HashSet<>()));
  }

  private Unrenderable check(TypeMirror t, String path, Set<String> seen) {
    if (t.getKind().isPrimitive() || t.getKind() == TypeKind.ERROR) {
      return null;
    }
    if (t.getKind() == TypeKind.ARRAY) {
      return new Unrenderable(path, TypeText.describe(t), TypeText.arrayAdvice((ArrayType) t));
    }
    if (t.getKind() != TypeKind.DECLARED) {
      return new Unrenderable(path, TypeText.describe(t), SUPPORTED);
    }
    DeclaredType d = (DeclaredType) t;
    TypeElement e = (TypeElement) d.asElement();
    String qn = e.getQualifiedName().toString();
    if (SCALARS.contains(qn) || e.getKind() == ElementKind.ENUM) {
      return null;
    }
    if (e.getKind() == ElementKind.RECORD) {
      if (!d.getTypeArguments().isEmpty()) {
        return new Unrenderable(path, TypeText.describe(t), "declare a record without type parameters");
      }
      if (!seen.add(qn)) {
        return null;
      }
      for (RecordComponentElement rc : e.getRecordComponents()) {
        Unrenderable inner = check(rc.asType(), e.getSimpleName() + "." + rc.getSimpleName(), seen);
        if (inner != null) {
          return inner;
        }
      }
      return null;
    }
    if (qn.equals("java.util.List") || qn.equals("java.util.Optional")) {
      String simple = e.getSimpleName().toString();
      List<? extends TypeMirror> args = d.getTypeArguments();
      if (args.isEmpty()) {
        return new Unrenderable(path, "raw " + simple, "write " + simple + "<…> with a type argument");
      }
      TypeMirror arg = args.get(0);
      if (arg.getKind() == TypeKind.WILDCARD) {
        return new Unrenderable(path, "the wildcard " + TypeText.describe(t), "name the element type, e.g. "
            + simple + "<String>");
      }
      if (TypeText.is(arg, "java.util.List") || TypeText.is(arg, "java.util.Optional")) {
        return new Unrenderable(path, TypeText.describe(t), "a List<…> or Optional<…> holds a String, a box, "
            + "an enum or a record; put the inner " + ((DeclaredType) arg).asElement().getSimpleName()
            + " in a record");
      }
      return check(arg, path == null ? null : path + (simple.equals("List") ? "[]" : ""), seen);
    }
    if (qn.equals("java.util.Map")) {
      return new Unrenderable(path, TypeText.describe(t), "use a record with one component per entry, or a "
          + "List<…> of records with key and value components");
    }
    if (collection != null && types.isAssignable(types.erasure(t), collection)) {
      return new Unrenderable(path, TypeText.describe(t), "use List<" + (d.getTypeArguments().size() == 1
          ? TypeText.describe(d.getTypeArguments().get(0)) : "…") + ">");
    }
    if (TypeText.isOwnClass(t)) {
      return new Unrenderable(path, TypeText.describe(t), TypeText.recordAdvice(t));
    }
    return new Unrenderable(path, TypeText.describe(t), SUPPORTED);
  }

  /** The record that {@code type} is, or null when it is not a non-generic record. */
  static TypeElement record(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED || !((DeclaredType) type).getTypeArguments().isEmpty()) {
      return null;
    }
    TypeElement e = (TypeElement) ((DeclaredType) type).asElement();
    return e.getKind() == ElementKind.RECORD ? e : null;
  }

  /** The component {@code name} of {@code record}, or null. */
  static RecordComponentElement component(TypeElement record, String name) {
    for (RecordComponentElement rc : record.getRecordComponents()) {
      if (rc.getSimpleName().contentEquals(name)) {
        return rc;
      }
    }
    return null;
  }
}
