package dev.llmtask.examples.spring;

import dev.llmtask.RateCard;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spi.CallInterceptor;
import dev.llmtask.spring.boot.LlmRuntimeCustomizer;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Without {@code LLM_API_KEY} the application answers from the embedded loopback simulator: the
 * default provider points at it, and each call queues a plausible answer for its task first (after any
 * reply already queued, so a test can queue a fault ahead of it).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SimulatedModel.NoApiKey.class)
class SimulatedModel {
  static final String DECISION = "{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}";
  static final String DRAFT = "Hello from Luna support, yes: under policy line P-7 your stale service-account key"
      + " can be rotated, within a 30-day window. Reply here if you want us to start the rotation.";

  /** True when {@code LLM_API_KEY} is unset or blank. */
  static final class NoApiKey implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String key = context.getEnvironment().getProperty("LLM_API_KEY");
      return key == null || key.isBlank();
    }
  }

  @Bean(destroyMethod = "close")
  LlmSimulator llmSimulator() {
    return LlmSimulator.start();
  }

  @Bean
  LlmRuntimeCustomizer simulatedProvider(LlmSimulator simulator) {
    OpenAiProvider simulated = OpenAiProvider.builder().baseUrl(simulator.openAiBaseUrl()).build();
    // replaces the provider of application.properties, as the default and under its name
    return runtime -> runtime.provider(simulated).provider("openai", simulated).rateCard(RateCard.illustrative());
  }

  @Bean
  CallInterceptor simulatedAnswers(LlmSimulator simulator) {
    return chain -> {
      switch (chain.call().task()) {
        case "decide_rotation" -> simulator.enqueue("decide_rotation", SimulatedReply.json(DECISION));
        case "draft_reply" -> simulator.enqueue("draft_reply", SimulatedReply.json(
            "{\"value\":\"" + DRAFT + "\"}").withChunkSize(12).withChunkDelay(Duration.ofMillis(15)));
        default -> { } // a generated answer
      }
      return chain.proceed(chain.call());
    };
  }
}
