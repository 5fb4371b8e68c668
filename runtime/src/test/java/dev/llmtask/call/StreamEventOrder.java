package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.StreamEvent;
import java.util.List;

/** The contract of a stream's events: Started first (when the stream opened), deltas, exactly one terminal event last. */
final class StreamEventOrder {
  private StreamEventOrder() {}

  static void assertWellFormed(List<? extends StreamEvent<?>> events) {
    assertThat(events).as("events").isNotEmpty();
    StreamEvent<?> last = events.get(events.size() - 1);
    assertThat(last.terminal()).as("the last event is terminal: %s", events).isTrue();
    assertThat(events.stream().filter(StreamEvent::terminal).count()).as("one terminal event: %s", events).isEqualTo(1);
    boolean anyDelta = events.stream().anyMatch(e -> e instanceof StreamEvent.Delta);
    if (anyDelta || last instanceof StreamEvent.Completed) {
      assertThat(events.get(0)).as("Started first: %s", kinds(events)).isInstanceOf(StreamEvent.Started.class);
    }
    assertThat(events.stream().filter(e -> e instanceof StreamEvent.Started).count()).as("at most one Started").isLessThanOrEqualTo(1);
  }

  static String kinds(List<? extends StreamEvent<?>> events) {
    StringBuilder b = new StringBuilder();
    for (StreamEvent<?> e : events) {
      b.append(e.getClass().getSimpleName()).append(' ');
    }
    return b.toString().strip();
  }
}
