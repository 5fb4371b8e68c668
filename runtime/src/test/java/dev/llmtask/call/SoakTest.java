package dev.llmtask.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.CallOptions;
import dev.llmtask.CallRecord;
import dev.llmtask.CallStatus;
import dev.llmtask.LlmResult;
import dev.llmtask.LlmRuntime;
import dev.llmtask.LlmStream;
import dev.llmtask.LlmTaskException;
import dev.llmtask.StreamEvent;
import dev.llmtask.call.RotationFixture.RotationDecision;
import dev.llmtask.codegen.Invocation;
import dev.llmtask.codegen.TaskSpec;
import dev.llmtask.provider.openai.OpenAiProvider;
import dev.llmtask.provider.anthropic.AnthropicProvider;
import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of calls mixing blocking, async and streamed calls against the simulator with random
 * faults and cancellations; then storms of cancelled and interrupted callers. Bounded in count; the
 * figures are printed as {@code figures soak …} in the test's output file.
 */
class SoakTest {
  private static final TaskSpec<RotationDecision> ROTATION = RotationFixture.spec().maxRetries(2).build();
  private LlmSimulator sim;
  private ExecutorService clientThreads;
  private final Map<String, List<CallRecord>> byTrace = new ConcurrentHashMap<>();
  /** Trace ids whose call the caller already saw end: a record arriving later is a defect. */
  private final Map<String, Boolean> ended = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> lateRecords = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    sim = LlmSimulator.start(11);
    clientThreads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "soak-http-client");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterEach
  void stop() {
    sim.close();
    clientThreads.shutdownNow();
  }

  private void record(CallRecord r) {
    if (ended.containsKey(r.traceId())) {
      lateRecords.add(r.traceId());
    }
    byTrace.computeIfAbsent(r.traceId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(r);
  }

  /**
   * A runtime per provider on one HttpClient with a 2-thread executor: with the default client the
   * JDK's async completions start a thread per response on small machines, which the thread bound
   * below does not allow.
   */
  private List<LlmRuntime> runtimes() {
    HttpClient client = HttpClient.newBuilder().executor(clientThreads).version(HttpClient.Version.HTTP_1_1).build();
    LlmRuntime openAi = LlmRuntime.builder()
        .provider(OpenAiProvider.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test-soak").httpClient(client).build())
        .backoff(Duration.ofMillis(1), Duration.ofMillis(4)).streamIdleTimeout(Duration.ofSeconds(2))
        .telemetry(this::record).build();
    LlmRuntime anthropic = LlmRuntime.builder()
        .provider(AnthropicProvider.builder().baseUrl(sim.anthropicBaseUrl()).apiKey("sk-ant-soak").httpClient(client).build())
        .backoff(Duration.ofMillis(1), Duration.ofMillis(4)).streamIdleTimeout(Duration.ofSeconds(2))
        .telemetry(this::record).build();
    return List.of(openAi, anthropic);
  }

  private static Invocation<RotationDecision> invocation(String trace) {
    return RotationFixture.invocation(trace).options(CallOptions.builder().timeout(Duration.ofSeconds(5)).build());
  }

  @Test
  void thousandsOfMixedCallsWithFaultsAndCancellationsLoseAndDuplicateNoRecord() throws Exception {
    List<LlmRuntime> runtimes = runtimes();
    sim.randomFault(0.08, 1, SimulatedReply.status(503))
        .randomFault(0.05, 2, SimulatedReply.rateLimited().withHeader("retry-after-ms", "2"))
        .randomFault(0.04, 3, SimulatedReply.dropConnection())
        .randomFault(0.04, 4, SimulatedReply.json(RotationFixture.WRONG_WINDOW))
        .randomFault(0.03, 5, SimulatedReply.invalidJson())
        .randomFault(0.03, 6, SimulatedReply.truncatedBody())
        .randomFault(0.02, 7, SimulatedReply.status(401))
        .randomFault(1.0, 8, SimulatedReply.json(RotationFixture.VALID).withChunkSize(24)); // else a valid answer
    // warm-up, then the baseline
    for (int i = 0; i < 50; i++) {
      ROTATION.callForResultAsync(runtimes.get(i % 2), invocation("warm_" + i)).handle((r, f) -> null).join();
    }
    Thread.sleep(200);
    long heapBefore = usedHeapAfterGc();
    int threadsBefore = liveThreads();

    int calls = 3000;
    Random random = new Random(2026);
    Semaphore inFlight = new Semaphore(32);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    CountDownLatch done = new CountDownLatch(calls);
    AtomicInteger cancelled = new AtomicInteger();
    Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      String trace = "soak_" + i;
      LlmRuntime rt = runtimes.get(random.nextInt(2));
      int mode = random.nextInt(3);
      boolean cancel = random.nextInt(20) == 0;
      inFlight.acquire();
      // a call ends for its caller when its result arrives, or when cancel() returns
      Runnable finished = () -> {
        if (!cancel) {
          ended.put(trace, Boolean.TRUE);
        }
        inFlight.release();
        done.countDown();
      };
      switch (mode) {
        case 0 -> callers.execute(() -> {
          try {
            count(statuses, ROTATION.callForResult(rt, invocation(trace)).record());
          } catch (LlmTaskException e) {
            count(statuses, e.record());
          } finally {
            finished.run();
          }
        });
        case 1 -> {
          CompletableFuture<LlmResult<RotationDecision>> f = ROTATION.callForResultAsync(rt, invocation(trace));
          f.whenComplete((r, e) -> {
            if (r != null) {
              count(statuses, r.record());
            } else {
              Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
              count(statuses, cause instanceof LlmTaskException lte ? lte.record()
                  : cause instanceof java.util.concurrent.CancellationException ? CANCELLED_BY_CALLER : null);
            }
            finished.run();
          });
          if (cancel) {
            cancelled.incrementAndGet();
            f.cancel(true);
            ended.put(trace, Boolean.TRUE);
          }
        }
        default -> {
          LlmStream<RotationDecision> s = ROTATION.stream(rt, invocation(trace));
          s.result().whenComplete((r, e) -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            count(statuses, r != null ? r.record() : cause instanceof LlmTaskException lte ? lte.record() : null);
            finished.run();
          });
          if (cancel) {
            cancelled.incrementAndGet();
            s.cancel();
            ended.put(trace, Boolean.TRUE);
          }
        }
      }
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    callers.shutdown();
    Thread.sleep(300); // any record after its call ended would arrive by now

    List<String> soakTraces = byTrace.keySet().stream().filter(t -> t.startsWith("soak_")).toList();
    assertThat(soakTraces).hasSize(calls); // none lost
    assertThat(soakTraces).allSatisfy(t -> assertThat(byTrace.get(t)).hasSize(1)); // none duplicated
    assertThat(lateRecords).isEmpty();
    assertThat(statuses).doesNotContainKey("none");
    int requests = sim.requests().size();
    int faults = requests - calls - 50;
    sim.reset(); // the simulator's recorded requests are test state, not the runtime's heap

    int threadsAfter = awaitThreadsAtMost(threadsBefore + 8, Duration.ofSeconds(10));
    long heapAfter = usedHeapAfterGc();
    System.out.printf("figures soak: calls=%d wall_ms=%d requests=%d extra_requests(retries, re-asks)=%d cancelled=%d"
            + " records=%d statuses=%s threads_before=%d threads_after=%d heap_before_mb=%d heap_after_mb=%d%n",
        calls, wallMs, requests, faults, cancelled.get(), soakTraces.size(), statuses, threadsBefore,
        threadsAfter, heapBefore >> 20, heapAfter >> 20);
    assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 8);
    assertThat(heapAfter).isLessThan(heapBefore + 64L * 1024 * 1024);
  }

  @Test
  void cancelledAndInterruptedCallersEachEndCancelledOnceAndTheirStreamsClose() throws Exception {
    List<LlmRuntime> runtimes = runtimes();
    int streams = 60;
    int blocking = 60;
    Random random = new Random(7);
    // every answer waits 300 ms, then dribbles for about 800 ms: a cancel always lands mid-call
    sim.randomFault(1.0, 1, SimulatedReply.json(RotationFixture.VALID).withChunkSize(3).withChunkDelay(Duration.ofMillis(30))
        .withDelay(Duration.ofMillis(300)));
    int closedBefore = sim.closedStreams();
    List<LlmStream<RotationDecision>> open = new ArrayList<>();
    AtomicInteger sawDelta = new AtomicInteger();
    for (int i = 0; i < streams; i++) {
      LlmStream<RotationDecision> s = ROTATION.stream(runtimes.get(i % 2), invocation("storm_stream_" + i));
      AtomicInteger deltas = new AtomicInteger();
      s.onEvent(e -> {
        if (e instanceof StreamEvent.Delta<?> && deltas.incrementAndGet() == 1) {
          sawDelta.incrementAndGet();
        }
      });
      open.add(s);
    }
    java.util.concurrent.ScheduledExecutorService cancellers = Executors.newScheduledThreadPool(4);
    Map<Integer, Boolean> endedBeforeCancel = new ConcurrentHashMap<>();
    for (int i = 0; i < streams; i++) {
      LlmStream<RotationDecision> s = open.get(i);
      int index = i;
      cancellers.schedule(() -> {
        endedBeforeCancel.put(index, s.state().terminal());
        s.cancel();
      }, 200 + random.nextInt(500), TimeUnit.MILLISECONDS); // before, at or mid-stream
    }
    List<Thread> callers = new ArrayList<>();
    ConcurrentLinkedQueue<String> keptInterrupt = new ConcurrentLinkedQueue<>();
    long[] returnedAt = new long[blocking];
    long[] interruptedAt = new long[blocking];
    for (int i = 0; i < blocking; i++) {
      String trace = "storm_blocking_" + i;
      LlmRuntime rt = runtimes.get(i % 2);
      int index = i;
      Thread t = new Thread(() -> {
        try {
          ROTATION.call(rt, invocation(trace));
          returnedAt[index] = System.nanoTime(); // answered before its interrupt
        } catch (LlmTaskException e) {
          if (e.status() == CallStatus.CANCELLED && Thread.currentThread().isInterrupted()) {
            keptInterrupt.add(trace);
          }
        }
      });
      t.start();
      callers.add(t);
    }
    for (int i = 0; i < blocking; i++) {
      sleep(random.nextInt(6));
      interruptedAt[i] = System.nanoTime();
      callers.get(i).interrupt();
    }
    for (Thread t : callers) {
      t.join(10_000);
    }
    cancellers.shutdown();
    assertThat(cancellers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    for (LlmStream<RotationDecision> s : open) {
      s.result().handle((r, e) -> null).get(10, TimeUnit.SECONDS);
    }
    Thread.sleep(200);

    assertThat(endedBeforeCancel).hasSize(streams);
    for (int i = 0; i < streams; i++) {
      boolean before = endedBeforeCancel.get(i);
      // a stream that ends between the look at its state and the cancel is answered, not cancelled: the
      // record must say what the caller saw, and a stream already ended before its cancel is never CANCELLED
      CallStatus seen = open.get(i).state() == LlmStream.State.CANCELLED ? CallStatus.CANCELLED : CallStatus.OK;
      assertThat(before && seen == CallStatus.CANCELLED).as("stream %d cancelled after it had ended", i).isFalse();
      assertThat(byTrace.get("storm_stream_" + i)).as("stream %d (ended before its cancel: %s)", i, before)
          .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(seen));
    }
    int answered = 0;
    for (int i = 0; i < blocking; i++) {
      // answered before its interrupt was sent (or while it was being sent): OK; otherwise CANCELLED
      boolean returned = returnedAt[i] != 0;
      answered += returned ? 1 : 0;
      if (returned) { // a call that ignored its interrupt would have waited out the answer's 300 ms first byte
        assertThat(TimeUnit.NANOSECONDS.toMillis(returnedAt[i] - interruptedAt[i])).as("blocking %d answered after"
            + " its interrupt by", i).isLessThan(300);
      }
      assertThat(byTrace.get("storm_blocking_" + i)).as("blocking %d (returned an answer: %s)", i, returned)
          .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(returned ? CallStatus.OK : CallStatus.CANCELLED));
    }
    // every caller that did not get an answer got CANCELLED with its interrupt flag kept
    assertThat(keptInterrupt).hasSize(blocking - answered);
    int answeredFirst = answered;
    // every stream cancelled after its first delta had its connection closed
    assertThat(sim.awaitClosedStreams(closedBefore + sawDelta.get(), Duration.ofSeconds(10))).isTrue();
    System.out.printf("figures storm: streams=%d (ended before the cancel %d, cancelled mid-stream %d, closed by the"
        + " client %d) blocking=%d (answered before the interrupt %d), the others CANCELLED once%n", streams,
        endedBeforeCancel.values().stream().filter(b -> b).count(), sawDelta.get(), sim.closedStreams() - closedBefore,
        blocking, answeredFirst);
  }

  /** Stands for the plain {@code CancellationException} a caller's own cancelled future completes with. */
  private static final CallRecord CANCELLED_BY_CALLER = new CallRecord(null, "-", null, null, null, CallStatus.CANCELLED,
      0, 0, 0, 0, 0, java.math.BigDecimal.ZERO, null, null, null, false);

  /** Counts the call's status; {@code none} when the caller got no record (must not happen). */
  private static void count(Map<String, AtomicInteger> statuses, CallRecord r) {
    String name = r == null ? "none" : r == CANCELLED_BY_CALLER ? "future_cancelled" : r.status().wireName();
    statuses.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Live threads of this JVM, the simulator's own (a cached pool, idle for a minute) left out. */
  private static int liveThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.getName().startsWith("llmtask-simulator")).count();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static int awaitThreadsAtMost(int bound, Duration within) throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    int n = liveThreads();
    while (n > bound && System.nanoTime() < until) {
      Thread.sleep(100);
      n = liveThreads();
    }
    return n;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
