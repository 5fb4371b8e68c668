package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmTaskException;
import dev.llmtask.TelemetrySink;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs a call through every kind of failure with all logging captured at TRACE, then searches
 * everything a user could see — log events, exception messages and stack traces, records — for the
 * API key, the customer's question and the policy text.
 */
class SecretsStayOutTest {
  private static final String API_KEY = "sk-proj-SECRETSECRET0123456789abcdefABCDEF";
  private static final String QUESTION_MARKER = "customer-private-question-7731";
  private static final String POLICY_MARKER = "confidential-policy-text-5512";
  private static final String ANSWER_MARKER = "model-private-answer-4410";

  @Test
  void noKeyPromptOrAnswerReachesLogsExceptionsOrRecords() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.TRACE);
    List<CallRecord> records = new ArrayList<>();
    StringBuilder seen = new StringBuilder();

    try (LlmSimulator sim = LlmSimulator.start()) {
      LlmRuntime rt = LlmRuntime.builder()
          .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey(API_KEY).build())
          .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
          .fingerprintKey("another-secret-fingerprint-key")
          .telemetry(records::add)
          .telemetry(TelemetrySink.slf4j())
          .telemetry(r -> { throw new IllegalStateException(API_KEY); })
          .build();
      TaskSpec<RotationDecision> spec = RotationFixture.spec().build();
      String badAnswer = "{\"decision\":\"" + ANSWER_MARKER + "\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}";
      List<SimulatedReply> faults = List.of(
          SimulatedReply.status(401),
          SimulatedReply.status(400),
          SimulatedReply.quotaExhausted(),
          SimulatedReply.refusal("refusing " + ANSWER_MARKER),
          SimulatedReply.truncated("{\"decision\":\"" + ANSWER_MARKER),
          SimulatedReply.json(badAnswer),
          SimulatedReply.json("not json " + ANSWER_MARKER),
          SimulatedReply.invalidJson(),
          SimulatedReply.json(badAnswer).withDelay(Duration.ofSeconds(2)));
      for (SimulatedReply fault : faults) {
        sim.reset();
        for (int i = 0; i < 3; i++) {
          sim.enqueue(fault);
        }
        var inv = dev.llmtask.codegen.Invocation.<RotationDecision>of(
                "Policy: " + POLICY_MARKER, "Question: " + QUESTION_MARKER)
            .traceId("trace_secret_test")
            .options(CallOptions.builder().timeout(Duration.ofMillis(500)).repairs(1).build());
        try {
          spec.call(rt, inv);
          seen.append("unexpected success\n");
        } catch (LlmTaskException e) {
          StringWriter trace = new StringWriter();
          e.printStackTrace(new PrintWriter(trace));
          seen.append(trace).append('\n').append(e.record()).append('\n');
        }
      }
      seen.append(rt).append('\n').append(rt.provider()).append('\n');
    } finally {
      root.detachAppender(appender);
      root.setLevel(before);
    }
    for (ILoggingEvent event : appender.list) {
      seen.append(event.getFormattedMessage()).append('\n');
      if (event.getThrowableProxy() != null) {
        seen.append(event.getThrowableProxy().getMessage()).append('\n');
      }
    }
    records.forEach(r -> seen.append(r).append(r.toLogLine()).append('\n'));

    assertThat(records).hasSize(9);
    assertThat(appender.list).isNotEmpty();
    String all = seen.toString();
    assertThat(all).doesNotContain("unexpected success")
        .doesNotContain(API_KEY)
        .doesNotContain(API_KEY.substring(8, 24))
        .doesNotContain(QUESTION_MARKER)
        .doesNotContain(POLICY_MARKER)
        .doesNotContain(ANSWER_MARKER);
  }
}
