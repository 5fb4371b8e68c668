package dev.llmtask.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** This JVM's tools and class path, and child processes started from them. */
public final class Jvm {
  private Jvm() {}

  /** A tool of the running JDK, e.g. {@code java} or {@code javac}. */
  public static Path tool(String name) {
    Path tool = Path.of(System.getProperty("java.home"), "bin", name);
    if (!Files.isExecutable(tool)) {
      throw new IllegalStateException("the benchmarks need a full JDK: " + tool + " is missing");
    }
    return tool;
  }

  /**
   * The class path of this JVM with every jar's manifest {@code Class-Path} expanded, so a child JVM or
   * javac sees the same classes whether this one runs from {@code java -jar} or from a test runner.
   */
  public static String classPath() {
    Set<Path> entries = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        expand(Path.of(entry).toAbsolutePath().normalize(), entries);
      }
    }
    return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
  }

  private static void expand(Path entry, Set<Path> entries) {
    if (!entries.add(entry) || !entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
      return;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Manifest manifest = jar.getManifest();
      String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (classPath != null) {
        for (String ref : classPath.trim().split("\\s+")) {
          expand(entry.getParent().resolve(ref).normalize(), entries);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the class path entry " + entry, e);
    }
  }

  /** Starts {@code command} with stderr merged into stdout. */
  public static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * Waits for {@code process} and reads the rest of its output; fails with that output when it exits
   * non-zero or outlives {@code limit} (then it is killed).
   */
  public static String finish(Process process, Duration limit, String what) throws IOException, InterruptedException {
    List<String> output = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try {
        output.add(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        output.add("(output unreadable: " + e + ")");
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(what + " did not finish within " + limit);
    }
    reader.join(5_000);
    String text = String.join("", output);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(what + " exited with " + process.exitValue() + ":\n" + text);
    }
    return text;
  }
}
