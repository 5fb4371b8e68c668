package dev.llmtask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.provider.openai.OpenAiProvider;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
  @Test
  void aRuntimeWithoutProviderFailsAtBuildTimeSayingWhatToDo() {
    assertThatThrownBy(() -> LlmRuntime.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("provider(");
  }

  @Test
  void badPoliciesFailAtBuildTime() {
    assertThatThrownBy(() -> LlmRuntime.builder().defaultTimeout(Duration.ZERO)).hasMessageContaining("defaultTimeout");
    assertThatThrownBy(() -> LlmRuntime.builder().defaultMaxRetries(-1)).hasMessageContaining("defaultMaxRetries");
    assertThatThrownBy(() -> LlmRuntime.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("cap");
    assertThatThrownBy(() -> LlmRuntime.builder().fingerprintKey("short")).hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> CallOptions.builder().maxRetries(-2)).hasMessageContaining("maxRetries");
  }

  @Test
  void aMalformedApiKeyIsRejectedWithoutEchoingIt() {
    String key = "sk-abc def-ghi";
    assertThatThrownBy(() -> OpenAiProvider.builder().apiKey(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("abc").hasMessageContaining("whitespace");
  }

  @Test
  void providerToStringSaysWhetherAKeyIsSetButNeverShowsIt() {
    OpenAiProvider p = OpenAiProvider.builder().baseUrl(URI.create("http://127.0.0.1:9/v1")).apiKey("sk-secret-123456").build();
    assertThat(p.toString()).contains("apiKey=set").doesNotContain("secret");
  }

  @Test
  void aNonHttpBaseUrlIsRejected() {
    assertThatThrownBy(() -> OpenAiProvider.builder().baseUrl(URI.create("ftp://example.invalid/v1")))
        .hasMessageContaining("http or https");
  }

  @Test
  void createNamesTheMissingProcessorWhenNoImplementationWasGenerated() {
    LlmRuntime rt = LlmRuntime.builder().provider(OpenAiProvider.builder().baseUrl(URI.create("http://127.0.0.1:9/v1")).build()).build();
    assertThatThrownBy(() -> LlmTasks.create(NotGenerated.class, rt))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NotGenerated_LlmTask").hasMessageContaining("annotationProcessorPaths")
        .hasMessageContaining("maven-compiler-plugin older than 3.5")
        .hasMessageContaining("<version>3.14.1</version>")
        .hasMessageContaining("<artifactId>llmtask-processor</artifactId>")
        .hasMessageContaining("incremental build")
        .hasMessageContaining("clean build");
    assertThat(LlmTasks.implementationName(NotGenerated.class)).isEqualTo("dev.llmtask.ConfigurationTest_NotGenerated_LlmTask");
  }

  @Test
  void theEnvironmentChoosesProviderKeyBaseUrlAndModel() {
    LlmRuntime openai = LlmRuntime.builder().environment(java.util.Map.of(
        "LLM_API_KEY", "sk-env-key-0001", "LLM_BASE_URL", "http://127.0.0.1:9/v1", "LLM_MODEL", "gpt-4.1-mini")).build();
    assertThat(openai.provider().name()).isEqualTo("openai");
    assertThat(openai.provider().toString()).contains("http://127.0.0.1:9/v1/chat/completions", "apiKey=set")
        .doesNotContain("sk-env");

    LlmRuntime anthropic = LlmRuntime.builder().environment(java.util.Map.of(
        "LLM_PROVIDER", "Anthropic", "ANTHROPIC_API_KEY", "sk-ant-env-0001")).build();
    assertThat(anthropic.provider().name()).isEqualTo("anthropic");
    assertThat(anthropic.provider().toString()).contains("https://api.anthropic.com/v1/messages", "apiKey=set");
  }

  @Test
  void aMalformedEnvironmentFailsNamingTheVariable() {
    assertThatThrownBy(() -> LlmRuntime.builder().environment(java.util.Map.of("LLM_PROVIDER", "gemini")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("LLM_PROVIDER");
    assertThatThrownBy(() -> LlmRuntime.builder().environment(java.util.Map.of("LLM_BASE_URL", "not a url")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("LLM_BASE_URL");
    assertThatThrownBy(() -> LlmRuntime.builder().environment(java.util.Map.of("LLM_API_KEY", "sk-has space")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("has space");
  }

  interface NotGenerated {}
}
