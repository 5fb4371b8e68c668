package dev.llmtask.benchmarks.loopback;

import dev.llmtask.benchmarks.Stats;
import dev.llmtask.benchmarks.Table;
import dev.llmtask.benchmarks.Table.Column;
import dev.llmtask.benchmarks.contenders.Contender;
import dev.llmtask.benchmarks.contenders.Contenders;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every contender against the same {@link StubServer}: per-call latency at concurrency 1 and
 * throughput at higher concurrency, in rounds whose order alternates so drift hits all alike;
 * each figure is the median over rounds.
 */
public final class LoopbackBenchmark {
  /**
   * How much to measure.
   *
   * @param latencyWarmup calls before the latency samples
   * @param latencyCalls latency samples per round
   * @param throughputWarmup unmeasured load before each throughput window
   * @param throughputWindow measured load per concurrency and round
   * @param concurrencies the concurrencies for throughput
   * @param rounds rounds over all contenders
   */
  public record Plan(int latencyWarmup, int latencyCalls, Duration throughputWarmup, Duration throughputWindow,
      List<Integer> concurrencies, int rounds) {}

  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

  private final Plan plan;

  public LoopbackBenchmark(Plan plan) {
    this.plan = plan;
  }

  /** Runs every contender of {@link Contenders#ALL} against {@code stub}; the baseline is the ratios' denominator. */
  public Table run(StubServer stub) throws Exception {
    Map<String, Contender> contenders = new LinkedHashMap<>();
    for (String id : Contenders.ALL) {
      contenders.put(id, Contenders.create(id, stub.baseUrl()));
    }
    Map<String, List<List<Double>>> samples = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(Contenders.ALL);
    for (int round = 0; round < plan.rounds(); round++) {
      for (String id : order) {
        samples.computeIfAbsent(id, k -> new ArrayList<>()).add(measure(contenders.get(id)));
      }
      java.util.Collections.reverse(order);
    }
    return table(contenders, samples);
  }

  /** One round for one contender: p50, p99 (µs), then ops/s at each concurrency. */
  private List<Double> measure(Contender c) throws Exception {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < plan.latencyWarmup(); i++) {
      verify(c, c.call());
    }
    long[] nanos = new long[plan.latencyCalls()];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      RotationDecision d = c.call();
      nanos[i] = System.nanoTime() - t0;
      verify(c, d);
    }
    out.add(Stats.percentile(nanos, 50) / 1_000);
    out.add(Stats.percentile(nanos, 99) / 1_000);
    for (int concurrency : plan.concurrencies()) {
      throughput(c, concurrency, plan.throughputWarmup());
      out.add(throughput(c, concurrency, plan.throughputWindow()));
    }
    return out;
  }

  /** Completed calls per second with {@code concurrency} calls in flight for {@code window}. */
  static double throughput(Contender c, int concurrency, Duration window) throws Exception {
    LongAdder done = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long end = start + window.toNanos();
    if (c.async()) {
      Semaphore inFlight = new Semaphore(concurrency);
      do { // at least one call, as for the blocking contenders
        inFlight.acquire();
        c.callAsync().whenComplete((d, e) -> {
          record(c, d, e, done, failure);
          inFlight.release();
        });
      } while (System.nanoTime() < end && failure.get() == null);
      if (!inFlight.tryAcquire(concurrency, DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(c.name() + ": calls still in flight " + DRAIN_LIMIT + " after the window");
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      try {
        for (int t = 0; t < concurrency; t++) {
          pool.execute(() -> {
            // at least one call per worker: on a loaded machine a worker may start after a short window ends
            do {
              try {
                record(c, c.call(), null, done, failure);
              } catch (Exception e) {
                record(c, null, e, done, failure);
              }
            } while (System.nanoTime() < end && failure.get() == null);
          });
        }
      } finally {
        pool.shutdown();
      }
      if (!pool.awaitTermination(window.toMillis() + DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
        throw new IllegalStateException(c.name() + ": calls still running " + DRAIN_LIMIT + " after the window");
      }
    }
    long elapsed = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException(c.name() + " failed under load", failure.get());
    }
    return done.sum() * 1e9 / elapsed;
  }

  private static void record(Contender c, RotationDecision d, Throwable e, LongAdder done,
      AtomicReference<Throwable> failure) {
    if (e == null && Scenario.EXPECTED.equals(d)) {
      done.increment();
    } else {
      failure.compareAndSet(null, e != null ? e : new IllegalStateException(c.name() + " decoded " + d));
    }
  }

  private static void verify(Contender c, RotationDecision d) {
    if (!Scenario.EXPECTED.equals(d)) {
      throw new IllegalStateException(c.name() + " decoded " + d + " instead of " + Scenario.EXPECTED);
    }
  }

  private Table table(Map<String, Contender> contenders, Map<String, List<List<Double>>> samples) {
    List<Column> columns = new ArrayList<>(List.of(
        new Column("p50 µs", "%.0f"), new Column("p50 × baseline", "%.2f×"),
        new Column("p99 µs", "%.0f"), new Column("p99 × baseline", "%.2f×")));
    for (int concurrency : plan.concurrencies()) {
      columns.add(new Column("calls/s @" + concurrency, "%.0f"));
      columns.add(new Column("@" + concurrency + " × baseline", "%.2f×"));
    }
    Table table = new Table("Loopback: the same stub, latency at concurrency 1, throughput under load", columns);
    Map<String, List<Double>> medians = new LinkedHashMap<>();
    samples.forEach((id, rounds) -> {
      List<Double> m = new ArrayList<>();
      for (int i = 0; i < rounds.get(0).size(); i++) {
        int col = i;
        m.add(Stats.median(rounds.stream().map(r -> r.get(col)).toList()));
      }
      medians.put(id, m);
    });
    List<Double> base = medians.get(Contenders.BASELINE);
    medians.forEach((id, m) -> {
      List<Double> row = new ArrayList<>();
      for (int i = 0; i < m.size(); i++) {
        row.add(m.get(i));
        row.add(m.get(i) / base.get(i));
      }
      table.add(contenders.get(id).name(), row);
    });
    List<Double> lc4j = medians.get(Contenders.LANGCHAIN4J);
    for (int i = 0; i < plan.concurrencies().size(); i++) {
      int col = 2 + i;
      double best = Math.max(medians.get(Contenders.LLMTASK).get(col), medians.get(Contenders.LLMTASK_ASYNC).get(col));
      table.note(String.format(java.util.Locale.ROOT, "Throughput @%d, llmtask (better of blocking and async) ÷ LangChain4j: %.2f×.",
          plan.concurrencies().get(i), best / lc4j.get(col)));
    }
    table.note("Medians of " + plan.rounds() + " rounds; per round " + plan.latencyCalls() + " timed calls after "
        + plan.latencyWarmup() + " warm-up calls, and " + plan.throughputWindow().toMillis() + " ms of load after "
        + plan.throughputWarmup().toMillis() + " ms warm-up per concurrency. Blocking contenders get one thread per "
        + "concurrent call; the async one keeps that many futures in flight from one thread.");
    return table;
  }
}
