package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallRecord;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Async load on the default HTTP client holds a small, bounded number of threads, and lets them go within seconds. */
class AsyncThreadsTest {
  private static final TaskSpec<RotationDecision> ROTATION = RotationFixture.spec().build();
  private LlmSimulator sim;

  @BeforeEach
  void start() {
    sim = LlmSimulator.start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /** Live threads of this JVM other than the simulator's (it is the server, not the client under test). */
  private static int clientThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && !t.getName().startsWith("llmtask-simulator")) {
        n++;
      }
    }
    return n;
  }

  @Test
  void twoHundredConcurrentAsyncCallsOnTheDefaultClientRaiseThreadsALittleAndBriefly() throws Exception {
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-threads").build())
        .telemetry(records::add)
        .build();
    sim.enqueue(SimulatedReply.json(RotationFixture.VALID));
    ROTATION.callForResultAsync(runtime, RotationFixture.invocation("warm-up")).get(10, TimeUnit.SECONDS);
    Thread.sleep(3_000); // the warm-up's client threads go idle and end
    int baseline = clientThreads();

    AtomicInteger peak = new AtomicInteger(baseline);
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        peak.accumulateAndGet(clientThreads(), Math::max);
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "thread-sampler");
    sampler.start();
    int calls = 200;
    for (int i = 0; i < calls; i++) {
      sim.enqueue(SimulatedReply.json(RotationFixture.VALID).withDelay(Duration.ofMillis(200)));
    }
    List<CompletableFuture<LlmResult<RotationDecision>>> inFlight = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      inFlight.add(ROTATION.callForResultAsync(runtime, RotationFixture.invocation("t" + i)));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    sampling.set(false);
    sampler.join();
    int sampledOut = 1; // the sampler itself
    long backBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int after = clientThreads();
    while (after > baseline && System.nanoTime() < backBy) {
      Thread.sleep(50);
      after = clientThreads();
    }
    long settleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - (backBy - TimeUnit.SECONDS.toNanos(10)));

    System.out.printf("async threads: baseline %d, peak %d (+%d), back to %d after %d ms%n",
        baseline, peak.get() - sampledOut, peak.get() - sampledOut - baseline, after, settleMs);
    assertThat(records.stream().filter(CallRecord::ok).count()).isEqualTo(calls + 1);
    assertThat(peak.get() - sampledOut - baseline).as("threads added under load").isLessThanOrEqualTo(THREADS_ADDED_LIMIT);
    assertThat(after).as("threads %d ms after the load", settleMs).isLessThanOrEqualTo(baseline);
  }

  @Test
  void aRuntimeNoLongerUsedLetsItsSchedulerThreadsEnd() throws Exception {
    LlmRuntime runtime = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-idle").build())
        .build();
    sim.enqueue(SimulatedReply.status(503)).enqueue(SimulatedReply.json(RotationFixture.VALID)); // the retry waits on the scheduler
    assertThat(ROTATION.callForResultAsync(runtime, RotationFixture.invocation("idle")).get(10, TimeUnit.SECONDS)
        .record().attempts()).isEqualTo(2);
    assertThat(schedulerThreads()).as("scheduler threads right after a retried call").isPositive();

    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (schedulerThreads() > 0 && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(schedulerThreads()).as("scheduler threads of idle runtimes, seconds later").isZero();
  }

  private static long schedulerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("llmtask-scheduler"))
        .count();
  }

  /** The client's executor (at most max(2, cores) threads) plus the JDK's short-lived completion threads in flight. */
  private static final int THREADS_ADDED_LIMIT = 8;
}
