package dev.llmtask.processor.diagnostic;

import java.util.List;

/**
 * What a reader or check produced, with the problems it found on the way.
 *
 * @param value what was produced: a reader's model is usable for further checks even when {@code problems}
 *     has errors; a check's result is null then
 * @param problems the problems, in the order found
 */
public record Read<T>(T value, List<Problem> problems) {
  public Read {
    problems = List.copyOf(problems);
  }
}
