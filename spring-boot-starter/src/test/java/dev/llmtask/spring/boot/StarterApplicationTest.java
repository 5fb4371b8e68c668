package dev.llmtask.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.TelemetrySink;
import dev.llmtask.testkit.LlmSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A whole Spring Boot application: the starter found by auto-configuration, a client injected, one real call. */
@SpringBootTest(classes = StarterApplicationTest.App.class)
class StarterApplicationTest {
  static final LlmSimulator SIMULATOR = LlmSimulator.start();
  static final List<CallRecord> RECORDS = new CopyOnWriteArrayList<>();

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    TelemetrySink records() {
      return RECORDS::add;
    }
  }

  @DynamicPropertySource
  static void simulator(DynamicPropertyRegistry registry) {
    registry.add("llmtask.providers.openai.kind", () -> "openai");
    registry.add("llmtask.providers.openai.base-url", () -> SIMULATOR.openAiBaseUrl().toString());
    registry.add("llmtask.tasks.greet.timeout", () -> "5s");
  }

  @AfterAll
  static void stop() {
    SIMULATOR.close();
  }

  @Autowired
  GreetingDesk desk;

  @Test
  void anInjectedClientCallsTheSimulator() {
    assertThat(desk.greet("Ada").text()).isNotBlank();
    assertThat(SIMULATOR.requests("greet")).hasSize(1);
    assertThat(RECORDS).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CallStatus.OK);
      assertThat(r.provider()).isEqualTo("openai");
    });
  }

  @Test
  void theJarPublishesConfigurationMetadataForIdeCompletion() throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(metadata).contains("\"llmtask.providers\"", "\"llmtask.tasks\"", "\"llmtask.default-provider\"",
          "\"llmtask.price-file\"", "the provider calls go to unless a link routes them",
          "\"llmtask.budgets.limits\"", "\"llmtask.budgets.unpriced-models\"", "\"llmtask.budgets.alert-at\"");
    }
  }
}
