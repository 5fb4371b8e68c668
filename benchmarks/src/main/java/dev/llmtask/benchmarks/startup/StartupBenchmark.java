package dev.llmtask.benchmarks.startup;

import dev.llmtask.benchmarks.Jvm;
import dev.llmtask.benchmarks.Stats;
import dev.llmtask.benchmarks.Table;
import dev.llmtask.benchmarks.Table.Column;
import dev.llmtask.benchmarks.contenders.Contenders;
import dev.llmtask.benchmarks.loopback.StubServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Time from starting a fresh JVM to its first decoded answer from the stub, per contender: the parent
 * starts {@code java -cp … FirstCall <id> <url>} and stops the clock when the child prints
 * {@link FirstCall#DONE}. Runs alternate between contenders; the figure is the median.
 */
public final class StartupBenchmark {
  private static final List<String> MEASURED = List.of(Contenders.BASELINE, Contenders.LLMTASK, Contenders.LANGCHAIN4J);
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);

  private StartupBenchmark() {}

  /**
   * Start-up settings.
   *
   * @param warmups untimed child JVMs per contender first (they warm the OS file cache)
   * @param runs timed child JVMs per contender
   */
  public record Plan(int warmups, int runs) {}

  /** Runs the plan's child JVMs, contenders alternating. */
  public static Table run(StubServer stub, Plan plan) throws Exception {
    String classPath = Jvm.classPath();
    Map<String, List<Double>> millis = new LinkedHashMap<>();
    for (int run = -plan.warmups(); run < plan.runs(); run++) {
      for (String id : MEASURED) {
        double ms = firstCallMillis(classPath, id, stub);
        if (run >= 0) {
          millis.computeIfAbsent(id, k -> new ArrayList<>()).add(ms);
        }
      }
    }
    Table t = new Table("Start-up: fresh JVM to first completed call", List.of(
        new Column("median ms", "%.0f"), new Column("× baseline", "%.2f×"),
        new Column("min ms", "%.0f"), new Column("max ms", "%.0f")));
    double base = Stats.median(millis.get(Contenders.BASELINE));
    for (String id : MEASURED) {
      List<Double> m = millis.get(id);
      double median = Stats.median(m);
      t.add(Contenders.create(id, stub.baseUrl()).name(), List.of(median, median / base, m.stream().min(Double::compare).orElseThrow(),
          m.stream().max(Double::compare).orElseThrow()));
    }
    t.note(String.format(Locale.ROOT, "llmtask ÷ LangChain4j: %.2f×. %d runs each after %d untimed, "
            + "default JVM flags, the same class path for all (the benchmarks jar and its lib/).",
        Stats.median(millis.get(Contenders.LLMTASK)) / Stats.median(millis.get(Contenders.LANGCHAIN4J)), plan.runs(), plan.warmups()));
    return t;
  }

  private static double firstCallMillis(String classPath, String id, StubServer stub) throws Exception {
    List<String> command = List.of(Jvm.tool("java").toString(), "-cp", classPath, FirstCall.class.getName(), id,
        stub.baseUrl().toString());
    long t0 = System.nanoTime();
    Process child = Jvm.start(command);
    // a child that hangs without printing would block readLine forever: kill it at the limit
    child.onExit().completeOnTimeout(child, CHILD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)
        .thenRun(child::destroyForcibly);
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals(FirstCall.DONE)) {
        double ms = (System.nanoTime() - t0) / 1e6;
        Jvm.finish(child, CHILD_LIMIT, "the start-up run of " + id);
        return ms;
      }
      seen.append(line).append('\n');
    }
    Jvm.finish(child, CHILD_LIMIT, "the start-up run of " + id);
    throw new IllegalStateException("the start-up run of " + id + " ended without " + FirstCall.DONE + ":\n" + seen);
  }
}
