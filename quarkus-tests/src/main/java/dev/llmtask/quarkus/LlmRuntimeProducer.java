package dev.llmtask.quarkus;

import dev.llmtask.LlmRuntime;
import dev.llmtask.provider.openai.OpenAiProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** All a Quarkus application writes: a producer of the one LlmRuntime the generated clients take. */
@ApplicationScoped
public class LlmRuntimeProducer {
  @Produces
  @Singleton
  LlmRuntime llmRuntime(@ConfigProperty(name = "llmtask.openai.base-url") Optional<URI> baseUrl) {
    OpenAiProvider.Builder provider = OpenAiProvider.builder(); // key from LLM_API_KEY or OPENAI_API_KEY
    baseUrl.ifPresent(provider::baseUrl);
    return LlmRuntime.builder().provider(provider.build()).build();
  }
}
