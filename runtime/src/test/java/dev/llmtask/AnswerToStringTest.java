package dev.llmtask;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Answers are customer text: toString shows their length or type, the accessors the value. */
class AnswerToStringTest {
  private static final String ANSWER = "Dear customer-private-answer-4410";

  record Triage(String summary) {}

  private static CallRecord ok() {
    return new CallRecord("trace_1", "draft_reply", "openai", "gpt-4o-mini", "draft_reply@1", CallStatus.OK,
        1, 12, 10, 5, 0, BigDecimal.ZERO, null, null, null, false);
  }

  @Test
  void resultDeltaAndCompletedShowTheLengthNotTheAnswer() {
    LlmResult<String> text = new LlmResult<>(ANSWER, ok());
    assertThat(text.toString()).contains("value=<" + ANSWER.length() + " chars>").contains("task=draft_reply")
        .doesNotContain("customer-private");
    assertThat(text.value()).isEqualTo(ANSWER);

    LlmResult<Triage> structured = new LlmResult<>(new Triage(ANSWER), ok());
    assertThat(structured.toString()).contains("value=<Triage>").doesNotContain("customer-private");

    StreamEvent.Delta<String> delta = new StreamEvent.Delta<>(ANSWER);
    assertThat(delta.toString()).isEqualTo("Delta[text=<" + ANSWER.length() + " chars>]");
    assertThat(delta.text()).isEqualTo(ANSWER);

    StreamEvent.Completed<String> completed = new StreamEvent.Completed<>(text);
    assertThat(completed.toString()).startsWith("Completed[result=LlmResult[value=<" + ANSWER.length() + " chars>")
        .doesNotContain("customer-private");
    assertThat(completed.result().value()).isEqualTo(ANSWER);
  }
}
