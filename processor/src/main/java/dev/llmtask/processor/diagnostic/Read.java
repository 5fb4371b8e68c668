package dev.llmtask.processor.diagnostic;

import java.util.List;

/**
 * What a reader read, with the problems it found on the way.
 *
 * @param value what was read; usable for further checks even when {@code problems} has errors
 * @param problems the problems, in the order found
 */
public record Read<T>(T value, List<Problem> problems) {
  public Read {
    problems = List.copyOf(problems);
  }
}
