package dev.llmtask.cache;

import dev.llmtask.LlmRuntime;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.spi.ResponseStore;
import dev.llmtask.testkit.LlmSimulator;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;

/** A cached look-up task written the way the processor generates it, and a runtime on the simulator. */
final class CountryLookup {
  static final String SECRET = "a-fingerprint-key-for-the-tests";
  static final String ANSWER = "{\"code\":\"NO\"}";
  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\"}},"
      + "\"required\":[\"code\"],\"additionalProperties\":false}";

  record Code(@Pattern(regexp = "[A-Z]{2}") String code) {}

  static final TaskSpec<Code> TASK = TaskSpec.builder("country_code", OutputDecoder.of(Code.class))
      .declaredBy("dev.llmtask.cache.Lookup#code")
      .promptVersion("country_code@1")
      .model("gpt-4o-mini")
      .repairs(0)
      .cacheTtl(Duration.ofMinutes(5))
      .schema(new OutputSchema("country_code", SCHEMA, SCHEMA))
      .build();

  static Invocation<Code> ask(String country) {
    return Invocation.user("The ISO 3166 alpha-2 code of " + country);
  }

  static LlmRuntime runtime(LlmSimulator sim, ResponseStore store, java.util.function.Consumer<dev.llmtask.CallRecord> sink) {
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-cache").build())
        .fingerprintKey(SECRET)
        .responseCache(store)
        .telemetry(sink::accept)
        .build();
  }

  private CountryLookup() {}
}
