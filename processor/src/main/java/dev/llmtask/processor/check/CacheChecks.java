package dev.llmtask.processor.check;

import dev.llmtask.processor.model.Annotations;
import dev.llmtask.processor.model.Attr;
import dev.llmtask.processor.model.CachedTtl;
import dev.llmtask.processor.model.Durations;
import dev.llmtask.processor.model.TaskMethodModel;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Checks {@code @Cached}: a malformed ttl is an error on the annotation, reported once where it is written. */
final class CacheChecks {
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
  }
}
