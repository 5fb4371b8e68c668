package dev.llmtask.processor.check;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/** Reports compile errors and warnings on the offending element and counts the errors. */
public final class Diagnostics {
  private final Messager messager;
  private int errors;

  public Diagnostics(Messager messager) {
    this.messager = messager;
  }

  public void error(String message, Element element) {
    error(message, element, null, null);
  }

  public void error(String message, Element element, AnnotationMirror mirror) {
    error(message, element, mirror, null);
  }

  public void error(String message, Element element, AnnotationMirror mirror, AnnotationValue value) {
    errors++;
    print(Diagnostic.Kind.ERROR, message, element, mirror, value);
  }

  public void warning(String message, Element element) {
    print(Diagnostic.Kind.WARNING, message, element, null, null);
  }

  public int errorCount() {
    return errors;
  }

  private void print(Diagnostic.Kind kind, String message, Element element, AnnotationMirror mirror,
      AnnotationValue value) {
    if (mirror == null) {
      messager.printMessage(kind, message, element);
    } else if (value == null) {
      messager.printMessage(kind, message, element, mirror);
    } else {
      messager.printMessage(kind, message, element, mirror, value);
    }
  }
}
