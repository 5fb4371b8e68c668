package dev.llmtask.processor.diagnostic;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * The one place problems are printed: as compile errors and warnings on their element, in source order (the
 * position of the element, or of the annotation or attribute a problem is about), then by message, so a declaration with
 * several mistakes lists them the same way in every build, whatever order the checks found them in.
 */
public final class Reporter {
  private final ProcessingEnvironment env;
  /**
   * javac's source positions; null when the environment is not javac's own (another compiler, or a build tool
   * that wraps it, as Gradle does for incremental processing): the order is then by enclosing element, with a
   * type's nested types before its methods, as javac lists them.
   */
  private final Trees trees;

  public Reporter(ProcessingEnvironment env) {
    this.env = env;
    Trees found;
    try {
      found = Trees.instance(env);
    } catch (IllegalArgumentException | LinkageError e) {
      found = null;
    }
    this.trees = found;
  }

  /** Prints {@code problems} in source order. */
  public void report(List<Problem> problems) {
    Map<Problem, Position> positions = new HashMap<>();
    for (Problem p : problems) {
      positions.put(p, position(p));
    }
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparing((Problem p) -> positions.get(p)).thenComparing(Problem::message));
    for (Problem p : sorted) {
      if (p.mirror() == null) {
        env.getMessager().printMessage(p.kind(), p.message(), p.element());
      } else if (p.value() == null) {
        env.getMessager().printMessage(p.kind(), p.message(), p.element(), p.mirror());
      } else {
        env.getMessager().printMessage(p.kind(), p.message(), p.element(), p.mirror(), p.value());
      }
    }
  }

  /**
   * Where a problem sits: its file and offset when javac knows them, else its top-level type and the index of
   * the element and its enclosing elements among their siblings.
   */
  private record Position(String file, long offset, List<Integer> indices) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = file.compareTo(o.file);
      if (c != 0) {
        return c;
      }
      c = Long.compare(offset, o.offset);
      for (int i = 0; c == 0 && i < Math.min(indices.size(), o.indices.size()); i++) {
        c = Integer.compare(indices.get(i), o.indices.get(i));
      }
      return c != 0 ? c : Integer.compare(indices.size(), o.indices.size());
    }
  }

  private Position position(Problem p) {
    TreePath path = null;
    if (trees != null) {
      try {
        path = p.value() != null ? trees.getPath(p.element(), p.mirror(), p.value()) : null;
        path = path == null && p.mirror() != null ? trees.getPath(p.element(), p.mirror()) : path;
        path = path != null ? path : trees.getPath(p.element());
      } catch (RuntimeException e) {
        path = null; // an element javac cannot place: order it by its enclosing elements
      }
    }
    if (path != null) {
      CompilationUnitTree unit = path.getCompilationUnit();
      long offset = trees.getSourcePositions().getStartPosition(unit, path.getLeaf());
      return new Position(unit.getSourceFile().toUri().toString(), offset, List.of());
    }
    return new Position(topLevelName(p.element()), Long.MAX_VALUE, indices(p.element()));
  }

  private static String topLevelName(Element e) {
    Element top = e;
    while (top.getEnclosingElement() != null && !(top.getEnclosingElement() instanceof PackageElement)) {
      top = top.getEnclosingElement();
    }
    return top instanceof TypeElement t ? t.getQualifiedName().toString() : top.toString();
  }

  /** The indices of {@code e} and its enclosing elements among their siblings, outermost first. */
  private static List<Integer> indices(Element e) {
    List<Integer> indices = new ArrayList<>();
    for (Element at = e; at.getEnclosingElement() != null && !(at.getEnclosingElement() instanceof PackageElement);
        at = at.getEnclosingElement()) {
      Element owner = at.getEnclosingElement();
      int index = owner.getEnclosedElements().indexOf(at);
      if (index < 0 && owner instanceof ExecutableElement method) {
        index = method.getParameters().indexOf(at);
      }
      indices.add(0, index);
    }
    return indices;
  }
}
