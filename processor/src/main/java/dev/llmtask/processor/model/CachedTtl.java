package dev.llmtask.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;

/** Reads {@code @Cached(ttl = …)} of a task method: the method's, else its interface's. */
public final class CachedTtl {
  public static final String CACHED = "dev.llmtask.Cached";

  private CachedTtl() {}

  /** The ttl text with where it is written; absent when neither the method nor its interface is cached. */
  public static Attr<String> read(Annotations annotations, ExecutableElement method) {
    Attr<String> own = of(annotations, method);
    return own.present() ? own : of(annotations, method.getEnclosingElement());
  }

  private static Attr<String> of(Annotations annotations, Element owner) {
    AnnotationMirror mirror = annotations.find(owner, CACHED).orElse(null);
    if (mirror == null) {
      return Attr.absent();
    }
    AnnotationValue v = annotations.annotationValue(mirror, "ttl");
    return new Attr<>(v == null ? "" : String.valueOf(v.getValue()), owner, mirror, v);
  }
}
