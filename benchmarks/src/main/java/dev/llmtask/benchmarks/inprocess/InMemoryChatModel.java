package dev.llmtask.benchmarks.inprocess;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.util.Set;

/**
 * A LangChain4j chat model with no transport: every request gets the scenario's answer. It declares
 * JSON-schema support, as the OpenAI model does in the loopback run, so AiServices asks for structured output.
 */
final class InMemoryChatModel implements ChatModel {
  @Override
  public ChatResponse doChat(ChatRequest request) {
    return ChatResponse.builder()
        .aiMessage(AiMessage.from(Scenario.ANSWER))
        .tokenUsage(new TokenUsage(250, 80))
        .finishReason(FinishReason.STOP)
        .build();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
  }
}
