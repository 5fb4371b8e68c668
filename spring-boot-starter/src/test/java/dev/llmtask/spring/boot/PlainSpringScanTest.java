package dev.llmtask.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.LlmRuntime;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spring.scan.FaqDesk;
import dev.llmtask.spring.scan.FaqService;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Plain Spring, no Boot and no starter: component scanning of the task's package finds the generated
 * client (it is {@code @jakarta.inject.Named}) and builds it with the application's {@code LlmRuntime}.
 */
class PlainSpringScanTest {
  static final LlmSimulator SIMULATOR = LlmSimulator.start();

  @AfterAll
  static void stop() {
    SIMULATOR.close();
  }

  @Configuration(proxyBeanMethods = false)
  @ComponentScan(basePackageClasses = FaqDesk.class)
  static class App {
    @Bean
    LlmRuntime llmRuntime() {
      return LlmRuntime.builder()
          .provider(OpenAiProvider.builder().baseUrl(SIMULATOR.openAiBaseUrl()).apiKey("sk-simulated").build())
          .build();
    }
  }

  @Test
  void componentScanFindsTheGeneratedClientAndItCallsWithTheContextsRuntime() {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(App.class)) {
      assertThat(context.getBeanNamesForType(FaqDesk.class)).containsExactly("faqDesk_LlmTask");

      assertThat(context.getBean(FaqService.class).answer("How do I rotate a key?")).isNotBlank();

      assertThat(SIMULATOR.requests("answer")).singleElement().satisfies((RecordedRequest r) -> {
        assertThat(r.model()).isEqualTo("gpt-4o-mini");
        assertThat(r.body()).contains("How do I rotate a key?");
      });
    }
  }
}
