package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Async calls hold no thread while they wait on the network, and cancel like sync ones. */
class AsyncCallTest {
  private LlmSimulator sim;
  private ExecutorService httpThreads;
  private final Set<String> threadsUsed = ConcurrentHashMap.newKeySet();
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    sim = LlmSimulator.start();
    AtomicInteger n = new AtomicInteger();
    httpThreads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(() -> {
        threadsUsed.add(Thread.currentThread().getName());
        r.run();
      }, "http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @AfterEach
  void stop() {
    sim.close();
    httpThreads.shutdownNow();
  }

  private LlmRuntime runtime() {
    HttpClient client = HttpClient.newBuilder().executor(httpThreads).version(HttpClient.Version.HTTP_1_1).build();
    return LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-async-test").httpClient(client).build())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .telemetry(records::add)
        .build();
  }

  private static final TaskSpec<RotationDecision> SPEC = RotationFixture.spec().build();

  @Test
  void fiveHundredConcurrentCallsCompleteOnTwoHttpThreads() {
    LlmRuntime rt = runtime();
    for (int i = 0; i < 500; i++) {
      sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withDelay(Duration.ofMillis(200)));
    }
    List<CompletableFuture<LlmResult<RotationDecision>>> futures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      futures.add(SPEC.callForResultAsync(rt, RotationFixture.invocation("trace_" + i)));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();

    assertThat(futures).allSatisfy(f -> assertThat(f.join().value().rotationWindowDays()).isEqualTo(30));
    assertThat(records).hasSize(500).allSatisfy(r -> assertThat(r.status()).isEqualTo(CallStatus.OK));
    assertThat(threadsUsed).hasSizeLessThanOrEqualTo(2);
    assertThat(sim.requests()).hasSize(500);
  }

  @Test
  void cancellingTheValueFutureAlsoCancelsTheCall() throws Exception {
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withDelay(Duration.ofSeconds(5)));
    CompletableFuture<RotationDecision> f = SPEC.callAsync(runtime(), RotationFixture.invocation("t"));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (sim.requests().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(5);
    }

    assertThat(f.cancel(true)).isTrue();
    assertThat(records).singleElement().extracting(CallRecord::status).isEqualTo(CallStatus.CANCELLED);
  }

  @Test
  void cancellingTheResultFutureCancelsTheExchangeAndRecordsCancelled() throws Exception {
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withDelay(Duration.ofSeconds(5)));
    CompletableFuture<LlmResult<RotationDecision>> f = SPEC.callForResultAsync(runtime(), RotationFixture.invocation("trace_cancel"));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (sim.requests().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(5);
    }

    assertThat(f.cancel(true)).isTrue();
    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CallStatus.CANCELLED);
      assertThat(r.traceId()).isEqualTo("trace_cancel");
      assertThat(r.attempts()).isEqualTo(1);
    });
  }
}
