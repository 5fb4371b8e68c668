package dev.llmtask.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.AnnotatedConstruct;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** Reads annotations by canonical name through the element API, so no annotation class is needed. */
public final class Annotations {
  private final Elements elements;

  public Annotations(Elements elements) {
    this.elements = elements;
  }

  /** The annotation named {@code canonicalName} on {@code construct}, if present. */
  public Optional<AnnotationMirror> find(AnnotatedConstruct construct, String canonicalName) {
    for (AnnotationMirror m : construct.getAnnotationMirrors()) {
      if (name(m).equals(canonicalName)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public boolean has(AnnotatedConstruct construct, String canonicalName) {
    return find(construct, canonicalName).isPresent();
  }

  /** The canonical name of the annotation's type. */
  public static String name(AnnotationMirror mirror) {
    return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
  }

  /** The simple name of the annotation's type. */
  public static String simpleName(AnnotationMirror mirror) {
    return mirror.getAnnotationType().asElement().getSimpleName().toString();
  }

  /** The value of {@code attribute}, with the annotation's declared default applied. */
  public Object value(AnnotationMirror mirror, String attribute) {
    AnnotationValue v = annotationValue(mirror, attribute);
    return v == null ? null : v.getValue();
  }

  /** The {@link AnnotationValue} of {@code attribute}, with defaults; null when there is no such attribute. */
  public AnnotationValue annotationValue(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(mirror).entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The value of {@code attribute} only when it is written explicitly in the source. */
  public AnnotationValue explicitValue(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)) {
        return e.getValue();
      }
    }
    return null;
  }

  public String string(AnnotationMirror mirror, String attribute) {
    Object v = value(mirror, attribute);
    return v == null ? "" : v.toString();
  }

  public int integer(AnnotationMirror mirror, String attribute, int fallback) {
    Object v = value(mirror, attribute);
    return v instanceof Number n ? n.intValue() : fallback;
  }

  /** All annotations from several constructs, without repeating an annotation type. */
  public static List<AnnotationMirror> merged(List<? extends AnnotatedConstruct> constructs) {
    List<AnnotationMirror> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (AnnotatedConstruct c : constructs) {
      if (c == null) {
        continue;
      }
      for (AnnotationMirror m : c.getAnnotationMirrors()) {
        String n = name(m);
        if (!seen.contains(n)) {
          seen.add(n);
          out.add(m);
        }
      }
    }
    return out;
  }
}
