package dev.llmtask.benchmarks.inprocess;

import dev.llmtask.benchmarks.rotation.Scenario;
import dev.llmtask.provider.LlmProvider;
import dev.llmtask.provider.ModelReply;
import dev.llmtask.provider.ModelRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** An llmtask provider with no transport: every attempt completes at once with the scenario's answer. */
final class InMemoryProvider implements LlmProvider {
  private static final ModelReply REPLY = new ModelReply(Scenario.ANSWER, ModelReply.Finish.COMPLETE, null,
      new ModelReply.Usage(250, 80, 0), "req_bench");

  @Override
  public String name() {
    return "in-memory";
  }

  @Override
  public CompletableFuture<ModelReply> send(ModelRequest request, Duration attemptTimeout) {
    return CompletableFuture.completedFuture(REPLY);
  }
}
