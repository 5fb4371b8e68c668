package dev.llmtask.cdi;

import dev.llmtask.LlmRuntime;
import java.util.Objects;

/**
 * A client as the processor writes it when jakarta.inject is not on the compile class path (a library
 * module): no {@code @Singleton}, no {@code @Inject}. Its index entry is a test resource.
 */
public interface PlainClient {
  LlmRuntime runtime();

  /** The implementation, with only the {@code LlmRuntime} constructor. */
  final class Unannotated implements PlainClient {
    private final LlmRuntime runtime;

    public Unannotated(LlmRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    @Override
    public LlmRuntime runtime() {
      return runtime;
    }
  }
}
