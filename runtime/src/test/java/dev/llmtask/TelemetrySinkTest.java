package dev.llmtask;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TelemetrySinkTest {
  private static CallRecord record(CallStatus status, String reason) {
    return new CallRecord("trace_acct_10234_01", "decide_rotation", "openai", "gpt-4o-mini", "rotation_decision@2",
        status, 1, 412, 250, 80, 0, new BigDecimal("0.00098"), reason, "3f9a0c41d2e7", null, false);
  }

  @Test
  void theSlf4jSinkWritesOneStructuredLinePerCallAtInfoOrWarn() {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.llmtask.calls");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      TelemetrySink sink = TelemetrySink.slf4j();
      sink.accept(record(CallStatus.OK, null));
      sink.accept(record(CallStatus.TIMEOUT, "no valid answer within 20000 ms"));
    } finally {
      logger.detachAppender(appender);
    }
    assertThat(appender.list).hasSize(2);
    assertThat(appender.list.get(0).getLevel()).isEqualTo(Level.INFO);
    assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo(
        "trace_id=trace_acct_10234_01 task=decide_rotation provider=openai model=gpt-4o-mini"
            + " prompt_version=rotation_decision@2 status=ok attempts=1 latency_ms=412 input_tokens=250"
            + " output_tokens=80 cached_input_tokens=0 cost_usd=0.00098 input_fingerprint=3f9a0c41d2e7");
    assertThat(appender.list.get(1).getLevel()).isEqualTo(Level.WARN);
    assertThat(appender.list.get(1).getFormattedMessage())
        .contains("status=timeout").endsWith("failure_reason=\"no valid answer within 20000 ms\"");
  }

  @Test
  void quotesInAFailureReasonCannotBreakTheLineFormat() {
    String line = record(CallStatus.INVALID_OUTPUT, "windowMatchesPolicy: says \"90\"").toLogLine();
    assertThat(line).endsWith("failure_reason=\"windowMatchesPolicy: says '90'\"");
  }
}
