package dev.llmtask.doctests;

import dev.llmtask.processor.LlmTaskProcessor;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles snippet units with javac, the llmtask processor and the test class path (runtime,
 * processor, testkit and what they bring), as a user's build with the processor on its annotation
 * processor path would.
 */
final class SnippetCompiler {
  /**
   * The errors and warnings of a compilation, each as {@code error: message} in the order reported,
   * and the same lines prefixed with the doc line they point at.
   */
  record Result(boolean success, List<String> messages, List<String> located, Path classes) {}

  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
  /** One file manager for all snippets: it caches the class path's jars, which most of a compilation's time is. */
  private static final StandardJavaFileManager FILES = JAVAC.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);

  private SnippetCompiler() {}

  static Result compile(List<SnippetSource.Unit> units, String pkg, Path workDir) {
    try {
      Path src = Files.createDirectories(workDir.resolve("src"));
      Path classes = Files.createDirectories(workDir.resolve("classes"));
      Map<String, SnippetSource.Unit> byFile = new HashMap<>();
      List<File> files = new ArrayList<>();
      Path dir = Files.createDirectories(src.resolve(pkg.replace('.', File.separatorChar)));
      for (SnippetSource.Unit unit : units) {
        Path file = dir.resolve(unit.typeName() + ".java");
        Files.writeString(file, unit.source(), StandardCharsets.UTF_8);
        byFile.put(file.toAbsolutePath().normalize().toString(), unit);
        files.add(file.toFile());
      }
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      StandardJavaFileManager fm = FILES;
      synchronized (FILES) {
        List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
            "-encoding", "UTF-8", "-s", Files.createDirectories(workDir.resolve("generated")).toString());
        JavaCompiler.CompilationTask task = JAVAC.getTask(new StringWriter(), fm, diagnostics, options, null,
            fm.getJavaFileObjectsFromFiles(files));
        task.setProcessors(List.of(new LlmTaskProcessor()));
        boolean ok = task.call();
        List<String> messages = new ArrayList<>();
        List<String> located = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          if (d.getKind() != Diagnostic.Kind.ERROR && d.getKind() != Diagnostic.Kind.WARNING) {
            continue;
          }
          String message = d.getKind().name().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT);
          messages.add(message);
          located.add(where(d, byFile) + ": " + message);
        }
        return new Result(ok, messages, located, classes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The doc line a diagnostic points at, or the generated file and line when it points at generated code. */
  private static String where(Diagnostic<? extends JavaFileObject> d, Map<String, SnippetSource.Unit> byFile) {
    if (d.getSource() == null) {
      return "(no source)";
    }
    String file = Path.of(d.getSource().toUri()).toAbsolutePath().normalize().toString();
    SnippetSource.Unit unit = byFile.get(file);
    long line = d.getLineNumber();
    if (unit != null && line >= 1 && line <= unit.origins().size() && !unit.origins().get((int) line - 1).isEmpty()) {
      return unit.origins().get((int) line - 1);
    }
    return file + ":" + line;
  }
}
