package dev.llmtask.internal.env;

import dev.llmtask.provider.HttpProviderBuilder;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ProviderSettings;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.provider.openai.OpenAiProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Chooses and configures the provider named by the environment ({@code LLM_PROVIDER},
 * {@code LLM_API_KEY}, {@code LLM_BASE_URL}), so that the root package does not depend on the
 * adapters. A malformed value fails naming the variable, never echoing a key.
 */
public final class EnvironmentProviders {
  /** Each provider's builder and the variable its users already set for the key. */
  private record Choice(Supplier<HttpProviderBuilder<?>> builder, String keyVariable) {}

  private static final Map<String, Choice> CHOICES = Map.of(
      "openai", new Choice(OpenAiProvider::builder, "OPENAI_API_KEY"),
      "anthropic", new Choice(AnthropicProvider::builder, "ANTHROPIC_API_KEY"));

  private EnvironmentProviders() {}

  public static LlmProvider fromEnvironment(Map<String, String> env) {
    String name = env.getOrDefault("LLM_PROVIDER", "openai").strip().toLowerCase(Locale.ROOT);
    Choice choice = CHOICES.get(name);
    if (choice == null) {
      throw new IllegalStateException("LLM_PROVIDER must be openai or anthropic, was " + name);
    }
    HttpProviderBuilder<?> builder = choice.builder().get();
    String url = env.get("LLM_BASE_URL");
    if (url != null && !url.isBlank()) {
      try {
        builder.baseUrl(ProviderSettings.baseUrl(new URI(url.strip())));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IllegalStateException("LLM_BASE_URL must be an http or https URL, was " + url);
      }
    }
    String key = ProviderSettings.apiKeyFromEnvironment(env, "LLM_API_KEY", choice.keyVariable());
    if (key != null) {
      builder.apiKey(key);
    }
    return builder.build();
  }
}
