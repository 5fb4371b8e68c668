package dev.llmtask.benchmarks;

import dev.llmtask.benchmarks.inprocess.InProcessRun;
import dev.llmtask.benchmarks.loopback.LoopbackBenchmark;
import dev.llmtask.benchmarks.loopback.StubServer;
import dev.llmtask.benchmarks.processorscale.ProcessorScaleBenchmark;
import dev.llmtask.benchmarks.ratelimit.RateLimitBenchmark;
import dev.llmtask.benchmarks.startup.StartupBenchmark;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the benchmarks and prints one Markdown table per section, every figure also as a ratio to the
 * hand-written baseline. {@code java -jar benchmarks/target/benchmarks.jar [--quick] [section…]}, sections:
 * {@code loopback inprocess startup processor ratelimit} (default: all).
 */
public final class Main {
  /** The parts of the run. */
  public enum Section { LOOPBACK, INPROCESS, STARTUP, PROCESSOR, RATELIMIT }

  /**
   * Sizes of a whole run.
   *
   * @param loopback loopback latency and throughput
   * @param jmh the in-process JMH run, or {@code null} for a quick loop of {@code quickInProcessCalls}
   * @param quickInProcessCalls calls per case when {@code jmh} is null
   * @param startup start-up child JVMs
   * @param processor processor scale
   * @param rateLimit the client-side rate limiter against the simulator's limit
   */
  public record Plan(LoopbackBenchmark.Plan loopback, InProcessRun.Plan jmh, int quickInProcessCalls,
      StartupBenchmark.Plan startup, ProcessorScaleBenchmark.Plan processor, RateLimitBenchmark.Plan rateLimit) {

    /** The published run: about five minutes on 2 cores. */
    public static Plan full() {
      return new Plan(new LoopbackBenchmark.Plan(2_000, 3_000, Duration.ofSeconds(1), Duration.ofSeconds(3),
          List.of(16, 64), 2), new InProcessRun.Plan(5, 2, 5, 1), 0, new StartupBenchmark.Plan(1, 5),
          new ProcessorScaleBenchmark.Plan(List.of(50, 500), 3), new RateLimitBenchmark.Plan(40, Duration.ofSeconds(10)));
    }

    /** A check that every piece works: seconds, numbers meaningless. */
    public static Plan quick() {
      return new Plan(new LoopbackBenchmark.Plan(20, 50, Duration.ofMillis(50), Duration.ofMillis(200),
          List.of(4, 8), 1), null, 200, new StartupBenchmark.Plan(0, 1), new ProcessorScaleBenchmark.Plan(List.of(2), 1),
          new RateLimitBenchmark.Plan(10, Duration.ofSeconds(1)));
    }
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    // keep the libraries' start-up INFO lines out of the printed report
    System.setProperty("org.jboss.logging.provider", "slf4j");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean quick = rest.remove("--quick");
    Set<Section> sections = EnumSet.noneOf(Section.class);
    for (String s : rest) {
      try {
        sections.add(Section.valueOf(s.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        System.err.println("unknown section '" + s + "'; use " + Arrays.toString(Section.values()) + " and/or --quick");
        System.exit(2);
      }
    }
    if (sections.isEmpty()) {
      sections = EnumSet.allOf(Section.class);
    }
    long t0 = System.nanoTime();
    System.out.println("## llmtask benchmarks" + (quick ? " (quick check, not a measurement)" : "") + "\n");
    System.out.println(machine() + "\n");
    for (Table table : run(quick ? Plan.quick() : Plan.full(), sections)) {
      System.out.println(table.toMarkdown());
    }
    System.out.printf(Locale.ROOT, "Total run time: %.0f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /** Runs {@code sections} of {@code plan}; the stub serves every loopback and start-up call. */
  public static List<Table> run(Plan plan, Set<Section> sections) throws Exception {
    List<Table> tables = new ArrayList<>();
    try (StubServer stub = StubServer.start(4)) {
      if (sections.contains(Section.LOOPBACK)) {
        progress(Section.LOOPBACK);
        tables.add(new LoopbackBenchmark(plan.loopback()).run(stub));
      }
      if (sections.contains(Section.INPROCESS)) {
        progress(Section.INPROCESS);
        tables.add(plan.jmh() == null ? InProcessRun.quick(plan.quickInProcessCalls()) : InProcessRun.jmh(plan.jmh()));
      }
      if (sections.contains(Section.STARTUP)) {
        progress(Section.STARTUP);
        tables.add(StartupBenchmark.run(stub, plan.startup()));
      }
    }
    if (sections.contains(Section.PROCESSOR)) {
      progress(Section.PROCESSOR);
      tables.add(ProcessorScaleBenchmark.run(plan.processor()));
    }
    if (sections.contains(Section.RATELIMIT)) {
      progress(Section.RATELIMIT);
      tables.add(new RateLimitBenchmark(plan.rateLimit()).run());
    }
    return tables;
  }

  /** Progress goes to stderr, so stdout holds only the report. */
  private static void progress(Section section) {
    System.err.println("running " + section.name().toLowerCase(Locale.ROOT) + " …");
  }

  /** Cores, memory and JVM of this machine, for the report's header. */
  static String machine() {
    long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return String.format(Locale.ROOT, "Machine: %d cores, %.1f GiB memory, %s %s (%s), %s %s; load average at start %.2f.",
        Runtime.getRuntime().availableProcessors(), memory / (1024.0 * 1024 * 1024),
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"), System.getProperty("os.name"), System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
