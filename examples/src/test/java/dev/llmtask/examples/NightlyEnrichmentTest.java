package dev.llmtask.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.batch.BatchItemStatus;
import dev.llmtask.batch.BatchProgress;
import dev.llmtask.examples.batch.NightlyEnrichment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NightlyEnrichmentTest {
  @Test
  void theNightEndsEveryTicketWithANamedOutcomeAtHalfTheSynchronousPrice() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BatchProgress progress = NightlyEnrichment.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(progress.done()).isTrue();
    assertThat(progress.items()).isEqualTo(1000);
    int sum = 0;
    for (BatchItemStatus s : BatchItemStatus.values()) {
      sum += progress.count(s);
      assertThat(out).contains("  " + s.name().toLowerCase(java.util.Locale.ROOT) + ": " + progress.count(s));
    }
    assertThat(sum).isEqualTo(1000);
    assertThat(progress.count(BatchItemStatus.PROVIDER_ERROR)).isPositive();
    assertThat(progress.count(BatchItemStatus.EXPIRED)).isPositive();
    assertThat(progress.count(BatchItemStatus.INVALID_OUTPUT)).isZero(); // re-asked into valid answers

    Matcher cost = Pattern.compile("Cost: \\$([0-9.]+) through the Batch API, \\$([0-9.]+) at the synchronous").matcher(out);
    assertThat(cost.find()).isTrue();
    BigDecimal batch = new BigDecimal(cost.group(1));
    BigDecimal sync = new BigDecimal(cost.group(2));
    assertThat(batch).isPositive().isLessThan(sync);
    // half price, except the synchronous re-asks, which are billed in full
    assertThat(batch.divide(sync, 3, java.math.RoundingMode.HALF_UP)).isBetween(new BigDecimal("0.5"), new BigDecimal("0.56"));
  }
}
