package dev.llmtask.benchmarks.inprocess;

import dev.llmtask.benchmarks.Table;
import dev.llmtask.benchmarks.Table.Column;
import dev.llmtask.benchmarks.rotation.RotationDecision;
import dev.llmtask.benchmarks.rotation.Scenario;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link InProcessBenchmark}: under JMH with {@code -prof gc}, or as a quick loop for the smoke test. */
public final class InProcessRun {
  /** Row labels, in the order of the table; also the {@link InProcessBenchmark} method names. */
  private static final List<String> CASES = List.of("baseline", "llmtask", "llmtaskNoOpLinks", "langchain4j");
  private static final Map<String, String> LABELS = Map.of(
      "baseline", "hand-written: Jackson decode only (baseline)",
      "llmtask", "llmtask, whole pipeline, in-memory provider",
      "llmtaskNoOpLinks", "llmtask, the same plus " + InProcessBenchmark.NO_OP_LINKS_EACH + " no-op call and "
          + InProcessBenchmark.NO_OP_LINKS_EACH + " no-op exchange links",
      "langchain4j", "LangChain4j AiServices, in-memory ChatModel");

  /**
   * JMH settings.
   *
   * @param warmups warm-up iterations
   * @param warmupSeconds seconds per warm-up iteration
   * @param iterations measured iterations
   * @param iterationSeconds seconds per measured iteration
   */
  public record Plan(int warmups, int warmupSeconds, int iterations, int iterationSeconds) {}

  private InProcessRun() {}

  /** JMH in a forked JVM (forks 1), average time and {@code gc.alloc.rate.norm} per call. */
  public static Table jmh(Plan plan) throws Exception {
    Options options = new OptionsBuilder()
        .include(InProcessBenchmark.class.getName() + "\\.")
        .forks(1)
        .warmupIterations(plan.warmups())
        .warmupTime(TimeValue.seconds(plan.warmupSeconds()))
        .measurementIterations(plan.iterations())
        .measurementTime(TimeValue.seconds(plan.iterationSeconds()))
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT) // only the table goes to the report
        .build();
    Map<String, double[]> byCase = new LinkedHashMap<>();
    for (RunResult r : new Runner(options).run()) {
      String benchmark = r.getParams().getBenchmark();
      String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      byCase.put(name, new double[] {r.getPrimaryResult().getScore(), alloc == null ? Double.NaN : alloc.getScore()});
    }
    Table t = table(byCase);
    t.note("JMH 1.37, forks 1, " + plan.warmups() + "×" + plan.warmupSeconds() + " s warm-up, "
        + plan.iterations() + "×" + plan.iterationSeconds() + " s measured, one thread, average time; bytes from -prof gc "
        + "(gc.alloc.rate.norm, every thread of the fork).");
    return t;
  }

  /** The same cases timed by a plain loop; allocation of the calling thread. Only a harness check. */
  public static Table quick(int calls) throws Exception {
    InProcessBenchmark state = new InProcessBenchmark();
    state.setUp();
    Map<String, Callable<RotationDecision>> cases = new LinkedHashMap<>();
    cases.put("baseline", state::baseline);
    cases.put("llmtask", state::llmtask);
    cases.put("llmtaskNoOpLinks", state::llmtaskNoOpLinks);
    cases.put("langchain4j", state::langchain4j);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<String, double[]> byCase = new LinkedHashMap<>();
    for (Map.Entry<String, Callable<RotationDecision>> c : cases.entrySet()) {
      for (int i = 0; i < calls; i++) {
        check(c.getKey(), c.getValue().call());
      }
      long bytes0 = allocated(threads);
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        check(c.getKey(), c.getValue().call());
      }
      long nanos = System.nanoTime() - t0;
      byCase.put(c.getKey(), new double[] {nanos / 1e3 / calls, (double) (allocated(threads) - bytes0) / calls});
    }
    Table t = table(byCase);
    t.note("Quick loop of " + calls + " calls (not JMH): a harness check, not a measurement.");
    return t;
  }

  /**
   * Bytes allocated by the calling thread, which runs every in-process case. (A sum over live
   * threads shrinks when a thread ends during the loop, e.g. an HTTP client's idle worker, and
   * could turn negative.)
   */
  private static long allocated(com.sun.management.ThreadMXBean threads) {
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static void check(String name, RotationDecision d) {
    if (!Scenario.EXPECTED.equals(d)) {
      throw new IllegalStateException(name + " decoded " + d);
    }
  }

  private static Table table(Map<String, double[]> byCase) {
    Table t = new Table("In-process overhead per call (transport replaced by an in-memory answer)", List.of(
        new Column("µs/call", "%.2f"), new Column("× baseline", "%.1f×"),
        new Column("bytes/call", "%.0f"), new Column("× baseline", "%.1f×")));
    double[] base = byCase.get("baseline");
    for (String name : CASES) {
      double[] v = byCase.get(name);
      if (v == null) {
        throw new IllegalStateException("no result for the in-process case " + name);
      }
      t.add(LABELS.get(name), new ArrayList<>(List.of(v[0], v[0] / base[0], v[1], v[1] / base[1])));
    }
    int links = 2 * InProcessBenchmark.NO_OP_LINKS_EACH;
    double[] plain = byCase.get("llmtask");
    double[] linked = byCase.get("llmtaskNoOpLinks");
    t.note(String.format(java.util.Locale.ROOT, "Per added no-op link: %.2f µs and %.0f bytes (the difference of the two llmtask rows ÷ %d).",
        (linked[0] - plain[0]) / links, (linked[1] - plain[1]) / links, links));
    return t;
  }
}
