package dev.llmtask.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.benchmarks.Main.Plan;
import dev.llmtask.benchmarks.Main.Section;
import dev.llmtask.benchmarks.Table.Row;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs every piece of the harness at a tiny size (no JMH) and checks the report: every contender row is
 * there with positive timings. Says nothing about speed.
 */
class HarnessSmokeTest {

  @Test
  @Timeout(180) // a generous bound against a hang; a normal run takes well under a minute
  void everyPieceProducesEveryRowWithPositiveNumbers() throws Exception {
    // the rate-limit section counts events (zero 429s is its point): it has a test of its own below
    List<Table> tables = Main.run(Plan.quick(), EnumSet.complementOf(EnumSet.of(Section.RATELIMIT)));

    assertThat(tables).extracting(Table::title).hasSize(4).satisfiesExactly(
        t -> assertThat(t).startsWith("Loopback"),
        t -> assertThat(t).startsWith("In-process"),
        t -> assertThat(t).startsWith("Start-up"),
        t -> assertThat(t).startsWith("Annotation processor"));
    assertThat(rowNames(tables.get(0))).containsExactly(
        "raw HTTP exchange, no JSON (stub cost)", "hand-written HttpClient + Jackson (baseline)",
        "llmtask, blocking method", "llmtask, CompletableFuture method",
        "llmtask, CompletableFuture method, httpclient5 transport", "LangChain4j AiServices + OpenAiChatModel");
    assertThat(rowNames(tables.get(1))).containsExactly("hand-written: Jackson decode only (baseline)",
        "llmtask, whole pipeline, in-memory provider", "llmtask, the same plus 2 no-op call and 2 no-op exchange links",
        "LangChain4j AiServices, in-memory ChatModel");
    assertThat(rowNames(tables.get(2))).containsExactly("hand-written HttpClient + Jackson (baseline)",
        "llmtask, blocking method", "LangChain4j AiServices + OpenAiChatModel");
    assertThat(rowNames(tables.get(3))).containsExactly("2 task interfaces");
    for (Table table : tables) {
      boolean processorTable = table == tables.get(3);
      for (Row row : table.rows()) {
        // the processor table's "added" and ratio columns are differences of two noisy timings: at this
        // tiny size they may fall at or below zero on a loaded machine, so only the timings must be positive
        List<Double> mustBePositive = processorTable ? row.values().subList(0, 2) : row.values();
        assertThat(mustBePositive).as(table.title() + " / " + row.name()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(row.values()).as(table.title() + " / " + row.name()).allSatisfy(v -> assertThat(v).isFinite());
      }
      assertThat(table.toMarkdown()).contains("| " + table.rows().get(0).name() + " |").doesNotContain("NaN");
    }
    // the hand-written baseline is every ratio's denominator: its ratio columns read exactly 1
    Row loopbackBaseline = tables.get(0).rows().get(1);
    for (int ratioColumn = 1; ratioColumn < loopbackBaseline.values().size(); ratioColumn += 2) {
      assertThat(loopbackBaseline.values().get(ratioColumn)).isEqualTo(1.0);
    }
    assertThat(tables.get(1).rows().get(0).values().get(1)).isEqualTo(1.0);
    assertThat(tables.get(2).rows().get(0).values().get(1)).isEqualTo(1.0);
  }

  @Test
  @Timeout(60)
  void theRateLimitSectionShowsNoProvider429WithTheLimiterAndSomeWithout() throws Exception {
    Table table = Main.run(Plan.quick(), EnumSet.of(Section.RATELIMIT)).get(0);

    assertThat(table.title()).startsWith("Client-side rate limit");
    assertThat(rowNames(table)).containsExactly("limiter on (9/s)", "limiter off");
    Row on = table.rows().get(0);
    Row off = table.rows().get(1);
    assertThat(on.values().get(2)).as("provider 429s with the limiter").isZero();
    assertThat(on.values().get(1)).as("OK with the limiter").isPositive();
    assertThat(off.values().get(2)).as("provider 429s without it").isPositive();
    assertThat(off.values().get(1) + off.values().get(2)).as("without it every call is sent").isEqualTo(off.values().get(0));
  }

  private static List<String> rowNames(Table t) {
    return t.rows().stream().map(Row::name).toList();
  }
}
