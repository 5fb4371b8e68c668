package dev.llmtask.benchmarks.inprocess;

import dev.llmtask.benchmarks.contenders.Contender;
import dev.llmtask.benchmarks.contenders.HandWrittenClient;
import dev.llmtask.benchmarks.contenders.LangChain4jClient;
import dev.llmtask.benchmarks.contenders.LlmtaskClient;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import java.util.concurrent.TimeUnit;

/**
 * What each library costs per call in-process, the transport replaced by an in-memory answer. The
 * baseline is the hand-written client's in-process work: Jackson decoding the answer into the record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InProcessBenchmark {
  private Contender llmtask;
  private Contender langchain4j;
  private Contender llmtaskNoOpLinks;

  /** No-op links added in the {@link #llmtaskNoOpLinks()} case: this many call and as many exchange interceptors. */
  public static final int NO_OP_LINKS_EACH = 2;

  @Setup
  public void setUp() {
    llmtask = LlmtaskClient.with(new InMemoryProvider());
    langchain4j = new LangChain4jClient(new InMemoryChatModel());
    llmtaskNoOpLinks = LlmtaskClient.withNoOpLinks(new InMemoryProvider(), NO_OP_LINKS_EACH, NO_OP_LINKS_EACH);
  }

  @Benchmark
  public RotationDecision baseline() throws IOException {
    return HandWrittenClient.decodeAnswer(Scenario.ANSWER);
  }

  @Benchmark
  public RotationDecision llmtask() throws Exception {
    return llmtask.call();
  }

  @Benchmark
  public RotationDecision llmtaskNoOpLinks() throws Exception {
    return llmtaskNoOpLinks.call();
  }

  @Benchmark
  public RotationDecision langchain4j() throws Exception {
    return langchain4j.call();
  }
}
