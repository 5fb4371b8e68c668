package dev.llmtask.codegen;

import java.util.List;

/** A business rule over a decoded answer: returns the violations, empty when it passes. */
@FunctionalInterface
public interface OutputCheck<T> {
  List<String> violations(T value);
}
