package dev.llmtask.processor.diagnostic;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * One problem found while reading or checking a declaration: what to print and where. Readers and checks
 * return problems; only {@link Reporter} prints them.
 *
 * @param kind {@link Diagnostic.Kind#ERROR} or {@link Diagnostic.Kind#WARNING}
 * @param element where the problem is reported
 * @param mirror the annotation on {@code element} it is about, or null
 * @param value the attribute of {@code mirror} it is about, or null
 * @param message what is wrong and what to write instead
 */
public record Problem(Diagnostic.Kind kind, Element element, AnnotationMirror mirror, AnnotationValue value,
    String message) {

  public static Problem error(String message, Element element) {
    return new Problem(Diagnostic.Kind.ERROR, element, null, null, message);
  }

  public static Problem error(String message, Element element, AnnotationMirror mirror, AnnotationValue value) {
    return new Problem(Diagnostic.Kind.ERROR, element, mirror, value, message);
  }

  public boolean isError() {
    return kind == Diagnostic.Kind.ERROR;
  }
}
