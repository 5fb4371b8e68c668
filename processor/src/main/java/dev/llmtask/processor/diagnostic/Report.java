package dev.llmtask.processor.diagnostic;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The problems one reader or check found, collected rather than printed (as Dagger's validators return a
 * {@code ValidationReport}). A problem equal to one already collected is kept once: an interface-level
 * attribute inherited by several tasks is reported once.
 */
public final class Report {
  private final Set<Problem> problems = new LinkedHashSet<>();

  public Report error(String message, Element element) {
    return add(Problem.error(message, element));
  }

  public Report error(String message, Element element, AnnotationMirror mirror) {
    return add(Problem.error(message, element, mirror, null));
  }

  public Report error(String message, Element element, AnnotationMirror mirror, AnnotationValue value) {
    return add(Problem.error(message, element, mirror, value));
  }

  public Report warning(String message, Element element) {
    return add(new Problem(Diagnostic.Kind.WARNING, element, null, null, message));
  }

  public Report add(Problem problem) {
    problems.add(problem);
    return this;
  }

  public Report addAll(Collection<Problem> more) {
    problems.addAll(more);
    return this;
  }

  public boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }

  /** The problems in the order they were found (the {@link Reporter} sorts them by source position). */
  public List<Problem> problems() {
    return List.copyOf(problems);
  }
}
