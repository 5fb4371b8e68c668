package dev.llmtask.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * An {@code @LlmTask} attribute after inheritance, with where it was declared (for error locations).
 *
 * @param value the effective value, or null when declared nowhere
 * @param element the method or interface that declared it, or null
 */
public record Attr<V>(V value, Element element, AnnotationMirror mirror, AnnotationValue annotationValue) {
  public static <V> Attr<V> absent() {
    return new Attr<>(null, null, null, null);
  }

  public boolean present() {
    return value != null;
  }
}
