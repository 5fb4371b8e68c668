package dev.llmtask.cdi;

import dev.llmtask.LlmRuntime;
import dev.llmtask.provider.openai.OpenAiProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** What the application writes: a producer of the one LlmRuntime. */
@ApplicationScoped
public class RuntimeProducer {
  @Produces
  @Singleton
  LlmRuntime runtime() {
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(WeldSeTest.SIMULATOR.openAiBaseUrl()).build())
        .build();
  }
}
