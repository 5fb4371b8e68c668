package dev.llmtask.spring.boot;

import dev.llmtask.LlmRuntime;

/**
 * A bean that adjusts the auto-configured {@link LlmRuntime.Builder} after the properties are applied,
 * for settings that have no property (backoff, a fingerprint key, an HTTP client of your own).
 * Customizers run in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface LlmRuntimeCustomizer {
  /** Adjusts {@code builder}; a bad setting fails the start-up. */
  void customize(LlmRuntime.Builder builder);
}
