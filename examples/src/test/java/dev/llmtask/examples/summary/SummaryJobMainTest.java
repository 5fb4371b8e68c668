package dev.llmtask.examples.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The background-job example on an embedded PostgreSQL and the simulator. */
class SummaryJobMainTest {
  @Test
  void theJobIsSubmittedItsProgressPolledAndItsResultFetchedWithOneArchiveWrite() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int archived = SummaryJobMain.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(archived).isEqualTo(1);
    assertThat(out).containsPattern("1\\. submitted job_[0-9a-f]{4}…, state (QUEUED|RUNNING)");
    List<String> progress = out.lines().filter(l -> l.startsWith("2. ")).toList();
    assertThat(progress).isNotEmpty().isSorted().allMatch(l -> l.matches("2\\. RUNNING: [1-3] of 3 sections"));
    assertThat(out).contains("3. SUCCEEDED after 1 attempt(s)")
        .contains("   Section 1: [point 1]\n   Section 2: [point 2]\n   Section 3: [point 3]\n")
        .contains("   filed as archive_doc_118; archive writes: 1");
  }
}
