package dev.llmtask.spring.boot;

import dev.llmtask.micrometer.LlmTaskMetrics;
import dev.llmtask.opentelemetry.LlmTaskTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Metrics and tracing for the auto-configured runtime, each only when its llmtask module is on the class
 * path and the application has the bean it writes to. The beans are looked up when the runtime is built,
 * so it does not matter which auto-configuration made them.
 */
final class ObservabilityConfigurations {
  private ObservabilityConfigurations() {}

  /** A {@link MeterRegistry} bean: {@link LlmTaskMetrics} (module {@code llmtask-micrometer}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({LlmTaskMetrics.class, MeterRegistry.class})
  static class Metrics {
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1) // after tracing, so the span covers the metrics' interceptor too
    OptionalPart llmTaskMetrics(ObjectProvider<MeterRegistry> registries) {
      return builder -> registries.ifUnique(registry -> LlmTaskMetrics.create(registry).register(builder));
    }
  }

  /** An {@link OpenTelemetry} bean: {@link LlmTaskTracing} (module {@code llmtask-opentelemetry}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({LlmTaskTracing.class, OpenTelemetry.class})
  static class Tracing {
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    OptionalPart llmTaskTracing(ObjectProvider<OpenTelemetry> openTelemetry) {
      return builder -> openTelemetry.ifUnique(otel -> LlmTaskTracing.create(otel).register(builder));
    }
  }
}
