package dev.llmtask.processor.check;

import dev.llmtask.processor.model.PromptModel;
import dev.llmtask.processor.model.PromptTemplate.Literal;
import dev.llmtask.processor.model.PromptTemplate.Placeholder;
import dev.llmtask.processor.model.PromptTemplate.Segment;
import dev.llmtask.processor.model.TaskMethodModel;
import java.util.List;

/**
 * Warns when a {@code {{placeholder}}} in a system prompt comes before stable text: providers' prompt
 * caches match an exact prefix, so everything after the first variable part is paid in full on
 * every call. Stable text of fewer than {@value #STABLE_CHARS} non-blank characters after it (a
 * full stop, a closing line) is not worth a warning.
 */
final class PromptCachePrefixCheck {
  static final int STABLE_CHARS = 40;
  private final Diagnostics diagnostics;

  PromptCachePrefixCheck(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  void check(TaskMethodModel t) {
    PromptModel system = t.system();
    if (system == null || system.problem() != null) {
      return;
    }
    List<Segment> segments = system.template().segments();
    String first = null;
    int stableAfter = 0;
    for (Segment s : segments) {
      if (s instanceof Placeholder p && first == null) {
        first = p.name();
      } else if (s instanceof Literal l && first != null) {
        stableAfter += l.text().strip().length();
      }
    }
    if (first != null && stableAfter >= STABLE_CHARS) {
      diagnostics.warning("the system prompt of '" + t.methodName() + "' puts {{" + first + "}} before "
          + stableAfter + " characters of stable text: provider prompt caches match an exact prefix, so that"
          + " text is never served from the cache; move variable content after the stable part (or into the user"
          + " prompt)", t.element());
    }
  }
}
