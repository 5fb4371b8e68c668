package dev.llmtask.benchmarks.contenders;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.net.URI;

/**
 * What users would pick instead: a LangChain4j {@link AiServices} returning the record, with structured
 * output (strict JSON schema) on its OpenAI model, over the same HTTP/1.1 client settings.
 */
public final class LangChain4jClient implements Contender {
  private final RotationAssistant assistant;

  public LangChain4jClient(ChatModel model) {
    this.assistant = AiServices.create(RotationAssistant.class, model);
  }

  /** The OpenAI chat model pointed at {@code baseUrl}. */
  public static LangChain4jClient openAi(URI baseUrl) {
    return new LangChain4jClient(OpenAiChatModel.builder()
        .baseUrl(baseUrl.toString())
        .apiKey(HttpClients.API_KEY)
        .modelName(Scenario.MODEL)
        .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
        .strictJsonSchema(true)
        .maxCompletionTokens(4096)
        .timeout(HttpClients.REQUEST_TIMEOUT)
        .maxRetries(2)
        .httpClientBuilder(JdkHttpClient.builder()
            .httpClientBuilder(HttpClients.builder())
            .connectTimeout(HttpClients.CONNECT_TIMEOUT)
            .readTimeout(HttpClients.REQUEST_TIMEOUT))
        .build());
  }

  @Override
  public String name() {
    return "LangChain4j AiServices + OpenAiChatModel";
  }

  @Override
  public boolean async() {
    return false;
  }

  @Override
  public RotationDecision call() {
    return assistant.decideRotation(Scenario.QUESTION, Scenario.ACCOUNT_ID, Scenario.CREDENTIAL_AGE_DAYS,
        Scenario.KEY_STALE, Scenario.POLICY);
  }
}
