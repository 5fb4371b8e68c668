package dev.llmtask.spring.scan;

import dev.llmtask.LlmTask;
import dev.llmtask.UserPrompt;

/** A task interface in a package of its own, found by Spring's component scan (its client is {@code @Named}). */
@LlmTask(promptVersion = "faq@1", model = "gpt-4o-mini")
public interface FaqDesk {
  @UserPrompt("Answer this support question in one sentence: {{question}}")
  String answer(String question);
}
