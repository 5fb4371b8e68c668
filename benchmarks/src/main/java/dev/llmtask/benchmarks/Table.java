package dev.llmtask.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One section of the report: named rows of numbers under formatted columns, printed as Markdown. */
public final class Table {
  /** A column: header and {@link String#format} pattern of its cells. */
  public record Column(String header, String format) {}

  /** A row; {@code values} line up with the columns. */
  public record Row(String name, List<Double> values) {}

  private final String title;
  private final List<Column> columns;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Table(String title, List<Column> columns) {
    this.title = title;
    this.columns = List.copyOf(columns);
  }

  public String title() {
    return title;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public void add(String name, List<Double> values) {
    if (values.size() != columns.size()) {
      throw new IllegalArgumentException(title + ": row '" + name + "' has " + values.size() + " values for "
          + columns.size() + " columns");
    }
    rows.add(new Row(name, List.copyOf(values)));
  }

  /** A line printed under the table. */
  public void note(String note) {
    notes.add(note);
  }

  public String toMarkdown() {
    StringBuilder b = new StringBuilder("### ").append(title).append("\n\n| |");
    columns.forEach(c -> b.append(' ').append(c.header()).append(" |"));
    b.append("\n|---|");
    columns.forEach(c -> b.append("---:|"));
    for (Row row : rows) {
      b.append("\n| ").append(row.name()).append(" |");
      for (int i = 0; i < columns.size(); i++) {
        b.append(' ').append(String.format(Locale.ROOT, columns.get(i).format(), row.values().get(i))).append(" |");
      }
    }
    b.append('\n');
    notes.forEach(n -> b.append('\n').append(n).append('\n'));
    return b.toString();
  }
}
