package dev.llmtask.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmtask.benchmarks.Table.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void printsMarkdownWithEachColumnsFormatAndTheNotesBelow() {
    Table t = new Table("Demo", List.of(new Column("µs", "%.1f"), new Column("× baseline", "%.2f×")));
    t.add("baseline", List.of(12.34, 1.0));
    t.add("other", List.of(24.68, 2.0));
    t.note("a note");

    assertThat(t.toMarkdown()).isEqualTo("""
        ### Demo

        | | µs | × baseline |
        |---|---:|---:|
        | baseline | 12.3 | 1.00× |
        | other | 24.7 | 2.00× |

        a note
        """);
  }

  @Test
  void aRowWithTheWrongNumberOfValuesIsRejectedByName() {
    Table t = new Table("Demo", List.of(new Column("µs", "%.1f")));
    assertThatThrownBy(() -> t.add("short", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'short' has 0 values for 1 columns");
    assertThat(t.rows()).isEmpty();
  }
}
