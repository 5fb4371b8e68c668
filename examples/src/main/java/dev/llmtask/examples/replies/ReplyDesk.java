package dev.llmtask.examples.replies;

import dev.llmtask.LlmStream;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.TraceId;
import dev.llmtask.UserPrompt;

/** Drafts the reply to the customer, streamed so the agent sees it as it is written. */
@LlmTask(promptVersion = "draft_reply@1", model = "gpt-4o-mini", timeout = "60s", maxRetries = 1)
public interface ReplyDesk {

  @SystemPrompt("""
      You are the support assistant of the product Luna. Write a short, friendly reply to the \
      customer in plain text. State only what the decision says; cite the policy line.""")
  @UserPrompt("""
      Customer question: {{question}}
      Decision: {{decision}}""")
  LlmStream<String> draftReply(String question, String decision, @TraceId String traceId);
}
