package dev.llmtask.spring.boot;

import dev.llmtask.LlmRuntime;

/**
 * A piece of an optional module (metrics, tracing) the starter adds to the runtime it builds when the
 * module and its bean are present; a bean of its own type, so that it never runs as a user's
 * {@link LlmRuntimeCustomizer}.
 */
@FunctionalInterface
interface OptionalPart {
  void addTo(LlmRuntime.Builder builder);
}
