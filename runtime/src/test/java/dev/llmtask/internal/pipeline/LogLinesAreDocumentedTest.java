package dev.llmtask.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.RateCard;
import dev.llmtask.TelemetrySink;
import dev.llmtask.budget.Budget;
import dev.llmtask.budget.BudgetAlert;
import dev.llmtask.budget.BudgetPeriod;
import dev.llmtask.budget.LoggingBudgetAlertListener;
import dev.llmtask.budget.Spend;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every kind of line the runtime logs, produced for real and captured under {@code dev.llmtask}, is
 * the logger and level that docs/telemetry.md's "Log lines" table names, and the table names no other.
 */
class LogLinesAreDocumentedTest {

  @Test
  void eachKindOfLogLineUsesTheLoggerAndLevelTheTelemetryDocNames() throws IOException {
    Logger root = (Logger) LoggerFactory.getLogger("dev.llmtask");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    try {
      TelemetrySink slf4j = TelemetrySink.slf4j();
      slf4j.accept(record(CallStatus.OK, null));
      slf4j.accept(record(CallStatus.RATE_LIMITED, "HTTP 429 rate_limit_exceeded"));
      RateCard.builder().build().cost("model-without-a-price", 10, 0, 10);
      new LoggingBudgetAlertListener().thresholdCrossed(new BudgetAlert(Budget.global(BudgetPeriod.DAY).maxTokens(100), null,
          "day 2026-12-02", 80, new Spend(0, 80)));
      new TelemetryDispatcher(List.of(r -> {
        throw new IllegalStateException("sink down");
      })).deliver(record(CallStatus.OK, null));
    } finally {
      root.detachAppender(appender);
    }
    Set<String> logged = appender.list.stream()
        .map(e -> e.getLoggerName() + " " + e.getLevel())
        .collect(Collectors.toSet());

    assertThat(logged).containsExactlyInAnyOrder(
        "dev.llmtask.calls INFO", "dev.llmtask.calls WARN", "dev.llmtask.RateCard WARN", "dev.llmtask.budget WARN",
        "dev.llmtask.internal.pipeline.TelemetryDispatcher WARN");
    assertThat(documentedLoggersAndLevels()).containsExactlyInAnyOrderElementsOf(logged);
  }

  /** "logger LEVEL" for each row of the table under "## Log lines" in docs/telemetry.md. */
  private static Set<String> documentedLoggersAndLevels() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "telemetry.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf("## Log lines");
    assertThat(start).as("docs/telemetry.md has a \"## Log lines\" section").isNotNegative();
    String section = doc.substring(start, doc.indexOf("\n## ", start + 1));
    return section.lines()
        .filter(l -> l.startsWith("| `"))
        .map(l -> l.split("\\|"))
        .map(cells -> cells[1].strip().replace("`", "") + " " + cells[2].strip().replace("`", ""))
        .collect(Collectors.toSet());
  }

  private static CallRecord record(CallStatus status, String reason) {
    return new CallRecord("trace_acct_10234_01", "decide_rotation", "openai", "gpt-4o-mini", "rotation_decision@2",
        status, 1, 412, 250, 80, 0, new BigDecimal("0.00098"), reason, null, null, false);
  }
}
