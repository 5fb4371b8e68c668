package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmtask.CallOptions;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.OutputSchema;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One exact, deterministic failure reason per cause, naming the schema's fields and never the answer. */
class FailureReasonTest {
  private LlmSimulator sim;
  private LlmRuntime rt;

  enum Priority {
    @JsonProperty("low") LOW,
    @JsonProperty("medium") MEDIUM,
    @JsonProperty("high") HIGH
  }

  record Ticket(String orderId, Priority priority) {}

  private static final String TICKET_SCHEMA = "{\"type\":\"object\",\"properties\":{\"orderId\":{\"type\":\"string\"},"
      + "\"priority\":{\"type\":\"string\",\"enum\":[\"low\",\"medium\",\"high\"]}},"
      + "\"required\":[\"orderId\",\"priority\"],\"additionalProperties\":false}";
  private static final TaskSpec<Ticket> TICKET = TaskSpec.builder("triage_ticket", OutputDecoder.of(Ticket.class))
      .promptVersion("triage@1").model("gpt-4o-mini").repairs(0)
      .schema(new OutputSchema("triage_ticket", TICKET_SCHEMA, TICKET_SCHEMA)).build();
  private static final TaskSpec<RotationFixture.RotationDecision> ROTATION = RotationFixture.spec().build();

  @BeforeEach
  void start() {
    sim = LlmSimulator.start();
    rt = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-reasons").build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .build();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private void assertTicketReason(String answer, String reason, String hidden) {
    sim.enqueue(SimulatedReply.json(answer));
    assertThatThrownBy(() -> TICKET.call(rt, Invocation.of("Triage the ticket.", "Ticket 7")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.status()).isEqualTo(CallStatus.INVALID_OUTPUT);
          assertThat(e.record().failureReason()).isEqualTo(reason);
          assertThat(e.getMessage()).doesNotContain(hidden);
        });
  }

  @Test
  void aMissingPropertyIsNamedAsTheSchemaNamesIt() {
    assertTicketReason("{\"priority\":\"low\"}", "orderId: missing", "low");
  }

  @Test
  void aValueOutsideTheEnumListsTheAllowedValuesNotTheAnswer() {
    assertTicketReason("{\"orderId\":\"A-1\",\"priority\":\"urgent\"}", "priority: not one of [low, medium, high]", "urgent");
  }

  @Test
  void aWrongTypeSaysWhichTypeTheSchemaExpects() {
    sim.enqueue(SimulatedReply.json("{\"decision\":\"eligible\",\"rotation_window_days\":\"thirty\",\"source_line_ids\":[\"P-7\"]}"));
    CallOptions noRepairs = CallOptions.builder().repairs(0).build();
    assertThatThrownBy(() -> ROTATION.call(rt, RotationFixture.invocation("t").options(noRepairs)))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.record().failureReason()).isEqualTo("rotation_window_days: expected integer");
          assertThat(e.getMessage()).doesNotContain("thirty");
        });
  }

  @Test
  void anUnexpectedPropertyIsReportedWithoutTheModelsName() {
    assertTicketReason("{\"orderId\":\"A-1\",\"priority\":\"low\",\"secret_field_x\":1}",
        "the answer: unexpected property", "secret_field_x");
  }

  @Test
  void afterReAsksEveryAnswerGetsItsOwnShortReason() {
    String outsideEnum = "{\"decision\":\"urgent\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}";
    sim.enqueue(SimulatedReply.json(outsideEnum)).enqueue(SimulatedReply.json(RotationFixture.WRONG_WINDOW));
    assertThatThrownBy(() -> ROTATION.call(rt, RotationFixture.invocation("t")))
        .isInstanceOfSatisfying(LlmTaskException.class, e -> {
          assertThat(e.record().attempts()).isEqualTo(2);
          assertThat(e.record().failureReason()).isEqualTo(
              "attempt 1: decision: not one of [eligible, not_eligible, not_specified]; "
                  + "attempt 2: windowMatchesPolicy: rotation_window_days 90 is not stated by the policy");
          assertThat(e.getMessage()).doesNotContain("urgent");
        });
  }

  /**
   * The HTTP client's request timeout and the deadline ticker fire together when the attempt was
   * given the rest of the deadline; whichever wins, the reason is the deadline's.
   */
  @Test
  void aTimeoutGivesTheSameReasonEveryTimeSyncAndAsync() {
    CallOptions fast = CallOptions.builder().timeout(Duration.ofMillis(150)).maxRetries(0).build();
    Consumer<LlmTaskException> deadline = e -> {
      assertThat(e.status()).isEqualTo(CallStatus.TIMEOUT);
      assertThat(e.record().failureReason()).isEqualTo("no valid answer within 150 ms");
    };
    for (int i = 0; i < 4; i++) {
      sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withDelay(Duration.ofSeconds(2)));
      assertThatThrownBy(() -> ROTATION.call(rt, RotationFixture.invocation("t").options(fast)))
          .isInstanceOfSatisfying(LlmTaskException.class, deadline);
      sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withDelay(Duration.ofSeconds(2)));
      assertThatThrownBy(() -> ROTATION.callAsync(rt, RotationFixture.invocation("t").options(fast)).join())
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(LlmTaskException.class, deadline);
    }
  }
}
