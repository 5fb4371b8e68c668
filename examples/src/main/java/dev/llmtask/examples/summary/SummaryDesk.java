package dev.llmtask.examples.summary;

import dev.llmtask.IdempotencyKey;
import dev.llmtask.LlmTask;
import dev.llmtask.SystemPrompt;
import dev.llmtask.UserPrompt;
import java.util.List;

/** Summarises a long document one section at a time: the work {@link SummaryJobMain} moves to a background job. */
@LlmTask(promptVersion = "section_summary@1", model = "gpt-4o-mini", timeout = "60s")
public interface SummaryDesk {
  /** One section's summary. */
  record SectionSummary(String headline, List<String> points) {}

  @SystemPrompt("Summarise the section of a support document in a headline and at most three points. Use only its facts.")
  @UserPrompt("{{section}}")
  SectionSummary summariseSection(String section, @IdempotencyKey String key);
}
