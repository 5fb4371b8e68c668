package dev.llmtask.processor.model;

import java.util.stream.Collectors;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;

/** Type names for messages, and the advice shared by the answer-type and parameter-type checks. */
public final class TypeText {
  private TypeText() {}

  /** Short readable type text for messages: {@code Map<String,Object>}, {@code Object}, {@code String[]}. */
  public static String describe(TypeMirror t) {
    switch (t.getKind()) {
      case DECLARED: {
        DeclaredType d = (DeclaredType) t;
        String simple = d.asElement().getSimpleName().toString();
        if (d.getTypeArguments().isEmpty()) {
          return simple;
        }
        return simple + d.getTypeArguments().stream().map(TypeText::describe)
            .collect(Collectors.joining(",", "<", ">"));
      }
      case ARRAY:
        return describe(((ArrayType) t).getComponentType()) + "[]";
      case WILDCARD: {
        WildcardType w = (WildcardType) t;
        if (w.getExtendsBound() != null) {
          return "? extends " + describe(w.getExtendsBound());
        }
        if (w.getSuperBound() != null) {
          return "? super " + describe(w.getSuperBound());
        }
        return "?";
      }
      default: {
        String s = t.toString();
        // strip type annotations and packages from whatever javac prints
        s = s.replaceAll("@\\S+\\s+", "");
        int dot = s.lastIndexOf('.');
        return dot >= 0 && !s.contains("<") ? s.substring(dot + 1) : s;
      }
    }
  }

  /** {@code describe}, with a primitive replaced by its box: the type argument to write in {@code List<…>}. */
  public static String describeBoxed(TypeMirror t) {
    return switch (t.getKind()) {
      case BOOLEAN -> "Boolean";
      case BYTE -> "Byte";
      case SHORT -> "Short";
      case INT -> "Integer";
      case LONG -> "Long";
      case CHAR -> "Character";
      case FLOAT -> "Float";
      case DOUBLE -> "Double";
      default -> describe(t);
    };
  }

  /** {@code use List<Integer> instead of an array} for {@code int[]}. */
  public static String arrayAdvice(ArrayType array) {
    return "use List<" + describeBoxed(array.getComponentType()) + "> instead of an array";
  }

  /**
   * Whether {@code t} is a class of the user's own (not of the JDK or a Jakarta/Javax API): the advice for
   * such a class is to declare it as a record.
   */
  public static boolean isOwnClass(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return false;
    }
    TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
    if (e.getKind() != ElementKind.CLASS) {
      return false;
    }
    javax.lang.model.element.Element p = e;
    while (!(p instanceof PackageElement)) {
      p = p.getEnclosingElement();
    }
    String pkg = ((PackageElement) p).getQualifiedName().toString() + ".";
    return !(pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.startsWith("jakarta."));
  }

  /** {@code declare Triage as a record} for the user's class {@code Triage}. */
  public static String recordAdvice(TypeMirror ownClass) {
    String name = describe(ownClass);
    String components = ElementFilter.fieldsIn(((DeclaredType) ownClass).asElement().getEnclosedElements()).stream()
        .filter(f -> !f.getModifiers().contains(Modifier.STATIC))
        .map(f -> describe(f.asType()) + " " + f.getSimpleName())
        .collect(Collectors.joining(", "));
    return "declare " + name + " as a record, e.g. `record " + name + "(" + (components.isEmpty() ? "…" : components)
        + ") {}`";
  }

  /** Whether {@code t} is the declared type {@code qualifiedName}. */
  public static boolean is(TypeMirror t, String qualifiedName) {
    return t.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().contentEquals(qualifiedName);
  }
}
