package dev.llmtask.benchmarks.processorscale;

import dev.llmtask.benchmarks.Jvm;
import dev.llmtask.benchmarks.Stats;
import dev.llmtask.benchmarks.Table;
import dev.llmtask.benchmarks.Table.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the processor adds to a build: {@code javac} in a fresh process over N generated task interfaces,
 * once with {@code -proc:none} and once with the llmtask processor (which also compiles the code it
 * generates), alternating, medians over repetitions.
 */
public final class ProcessorScaleBenchmark {
  static final String PROCESSOR = "dev.llmtask.processor.LlmTaskProcessor";
  private static final Duration JAVAC_LIMIT = Duration.ofMinutes(3);

  /**
   * @param sizes task interface counts
   * @param repetitions compilations per size and mode
   */
  public record Plan(List<Integer> sizes, int repetitions) {}

  private ProcessorScaleBenchmark() {}

  public static Table run(Plan plan) throws Exception {
    String classPath = Jvm.classPath();
    Table t = new Table("Annotation processor: javac time for N task interfaces", List.of(
        new Column("javac s, -proc:none", "%.2f"), new Column("javac s, llmtask processor", "%.2f"),
        new Column("added s", "%.2f"), new Column("× without", "%.2f×")));
    for (int size : plan.sizes()) {
      Path work = Files.createTempDirectory("llmtask-processor-scale-");
      try {
        List<Path> sources = TaskSources.write(work.resolve("src"), size);
        Path argFile = Files.write(work.resolve("sources.txt"), sources.stream().map(Path::toString).toList());
        List<Double> plain = new ArrayList<>();
        List<Double> processed = new ArrayList<>();
        for (int rep = 0; rep < plan.repetitions(); rep++) {
          plain.add(javacSeconds(work, argFile, classPath, false));
          processed.add(javacSeconds(work, argFile, classPath, true));
        }
        double without = Stats.median(plain);
        double with = Stats.median(processed);
        t.add(size + " task interfaces", List.of(without, with, with - without, with / without));
      } finally {
        deleteTree(work);
      }
    }
    t.note("Each task interface comes with its own result record (2 source files per task); javac runs as a "
        + "child process with default flags, " + plan.repetitions() + " times per cell; medians. With the processor, "
        + "javac also compiles the generated implementations.");
    return t;
  }

  private static double javacSeconds(Path work, Path argFile, String classPath, boolean processor) throws Exception {
    Path out = work.resolve(processor ? "out-processor" : "out-plain");
    deleteTree(out);
    Path classes = Files.createDirectories(out.resolve("classes"));
    List<String> command = new ArrayList<>(List.of(Jvm.tool("javac").toString(), "-nowarn", "-implicit:none",
        "-d", classes.toString(), "-cp", classPath));
    if (processor) {
      Path generated = Files.createDirectories(out.resolve("generated"));
      command.addAll(List.of("-processorpath", classPath, "-processor", PROCESSOR, "-s", generated.toString()));
    } else {
      command.add("-proc:none");
    }
    command.add("@" + argFile);
    long t0 = System.nanoTime();
    Jvm.finish(Jvm.start(command), JAVAC_LIMIT, "javac" + (processor ? " with the processor" : ""));
    double seconds = (System.nanoTime() - t0) / 1e9;
    long classFiles;
    try (Stream<Path> files = Files.walk(classes)) {
      classFiles = files.filter(f -> f.toString().endsWith(".class")).count();
    }
    long sources = Files.readAllLines(argFile).size();
    // with the processor every task gets a generated <Desk>_LlmTask class too
    long expected = processor ? sources + sources / 2 : sources;
    if (classFiles < expected) {
      throw new IllegalStateException("javac wrote " + classFiles + " class files, expected at least " + expected);
    }
    return seconds;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
