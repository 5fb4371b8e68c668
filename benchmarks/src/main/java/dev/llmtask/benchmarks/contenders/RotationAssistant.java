package dev.llmtask.benchmarks.contenders;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.Scenario;

/** The LangChain4j contender's AI service: the same prompts and record as {@code RotationDesk}. */
public interface RotationAssistant {
  @SystemMessage(Scenario.SYSTEM_TEMPLATE)
  @UserMessage(Scenario.USER_TEMPLATE)
  RotationDecision decideRotation(@V("question") String question, @V("accountId") String accountId,
      @V("credentialAgeDays") int credentialAgeDays, @V("keyStale") boolean keyStale, @V("policy") String policy);
}
