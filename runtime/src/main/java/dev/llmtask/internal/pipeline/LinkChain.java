package dev.llmtask.internal.pipeline;

import dev.llmtask.spi.CallAttributes;
import dev.llmtask.spi.Deadline;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** What every chain gives its links of the call they are part of: its deadline, attributes and a way to wait. */
abstract class LinkChain {
  final CallState<?> state;

  LinkChain(CallState<?> state) {
    this.state = state;
  }

  public final Deadline deadline() {
    return state;
  }

  public final CallAttributes attributes() {
    return state.attributes();
  }

  public final CompletionStage<Void> delay(Duration wait) {
    return state.delay(Objects.requireNonNull(wait, "wait"));
  }
}
