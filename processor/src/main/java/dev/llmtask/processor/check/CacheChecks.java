package dev.llmtask.processor.check;

import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.Attr;
import dev.llmtask.processor.model.CachedTtl;
import dev.llmtask.processor.model.Durations;
import dev.llmtask.processor.model.TaskMethodModel;
import dev.llmtask.processor.model.TaskRoutes;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;

/**
 * Checks {@code @Cached}: a malformed ttl is an error on the annotation, reported once where it is
 * written; a cached task with a temperature above 0 warns (a creative answer should not be served
 * again) unless the method or its interface says {@code @SuppressWarnings("}{@value #CACHED_TEMPERATURE}{@code ")}.
 */
final class CacheChecks {
  static final String CACHED_TEMPERATURE = "llmtask-cached-temperature";
  private final Annotations annotations;
  private final Diagnostics diagnostics;
  private final Set<Object> reported = Collections.newSetFromMap(new IdentityHashMap<>());

  CacheChecks(Annotations annotations, Diagnostics diagnostics) {
    this.annotations = annotations;
    this.diagnostics = diagnostics;
  }

  void check(TaskMethodModel t) {
    Attr<String> ttl = CachedTtl.read(annotations, t.element());
    if (ttl.present() && Durations.parseMillis(ttl.value()).isEmpty() && reported.add(ttl.mirror())) {
      diagnostics.error("malformed @Cached ttl \"" + ttl.value() + "\"; write a positive whole number followed by "
          + "ms, s, m or h, e.g. @Cached(ttl = \"10m\") or @Cached(ttl = \"24h\")",
          ttl.element(), ttl.mirror(), ttl.annotationValue());
    }
    Attr<Double> temperature = TaskRoutes.read(annotations, t.element()).temperature();
    if (ttl.present() && temperature.present() && temperature.value() > 0 && !suppressed(t.element())
        && !suppressed(t.element().getEnclosingElement())) {
      diagnostics.warning("task method '" + t.methodName() + "' is @Cached with temperature " + temperature.value()
          + ": a sampled answer would be served again as if it were the only one; set temperature = 0, remove"
          + " @Cached, or add @SuppressWarnings(\"" + CACHED_TEMPERATURE + "\") if a repeated answer is what you want",
          t.element());
    }
  }

  private static boolean suppressed(Element e) {
    SuppressWarnings s = e.getAnnotation(SuppressWarnings.class);
    return s != null && List.of(s.value()).contains(CACHED_TEMPERATURE);
  }
}
