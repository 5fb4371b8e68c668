package dev.llmtask.doctests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Keeps the docs true: every {@code ```java} block of {@code README.md} and {@code docs/*.md} is
 * compiled against the built modules (runtime, testkit, the processor running as an annotation
 * processor) with exactly the imports the block shows, each on its own in package {@code com.example}. A block that
 * does not compile fails its test, named by the doc and line ({@code docs/testing.md:27}), with the
 * compiler's messages located on the doc's lines.
 *
 * <h2>Writing a snippet</h2>
 * A block is Java a user can paste: its {@code import} lines, then type declarations, methods and
 * statements in any order. Each top-level type becomes a file of its own; top-level methods and the
 * statements go into a class {@code Snippet}, the statements as the body of
 * {@code public static void main(String[] args) throws Exception}. HTML comments directly above the
 * fence (invisible on the rendered page) say more:
 * <ul>
 *   <li>{@code <!-- given: String question, DataSource dataSource -->}: the values the statements
 *       use without declaring them; the statements become the body of a method with these
 *       parameters (types written in full or imported by the block).</li>
 *   <li>{@code <!-- name: rotation-desk -->} names a block; {@code <!-- uses: rotation-desk -->} in
 *       another block (of any doc) compiles that block's type declarations next to this one, so a
 *       page can build on the README's task without repeating it;
 *       {@code <!-- uses: rotation-desk[RotationDecision Decision] -->} takes only the types named.</li>
 *   <li>{@code <!-- run: main -->}: {@code Snippet.main} is run and what it prints must equal the
 *       {@code ```text} block after the code (an ellipsis {@code …} in it matches any text within
 *       a line). Runnable snippets answer from the simulator, so the output is deterministic.</li>
 *   <li>{@code <!-- run: junit -->}: the block's classes are JUnit tests; they are run, and all must
 *       pass.</li>
 *   <li>{@code <!-- fragment: why -->}: not compiled. Only for code that cannot stand alone; say
 *       why.</li>
 * </ul>
 * A {@code ```text} block after a compiled block whose lines start with {@code error: } or
 * {@code warning: } lists exactly the messages its compilation reports, in order; otherwise the
 * block must compile without errors or warnings. After changing a message of the processor, run
 * <pre>mvn -B -pl doc-tests -am verify -Dtest=DocSnippetsTest -Dsurefire.failIfNoSpecifiedTests=false -Dllmtask.updateDocs=true</pre>
 * and review the diff of the docs.
 */
class DocSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target", "doc-snippets").toAbsolutePath();
  private static final boolean UPDATE = Boolean.getBoolean("llmtask.updateDocs");
  /** Every snippet is compiled on its own, in this package, and run in a class loader of its own. */
  private static final String PACKAGE = "com.example";
  /** {@code rotation-desk} or {@code rotation-desk[RotationDecision Decision]}. */
  private static final Pattern USES = Pattern.compile("([\\w-]+)(?:\\[([\\w ]+)])?");
  private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

  @TestFactory
  Stream<DynamicTest> everyJavaSnippetCompilesAndTheRunnableOnesPrintWhatTheDocShows() {
    List<DocSnippet> snippets = allSnippets();
    Map<String, DocSnippet> named = new HashMap<>();
    for (DocSnippet s : snippets) {
      String name = s.marker("name");
      if (name != null && named.put(name, s) != null) {
        fail("%s: the snippet name %s is used twice", s.where(), name);
      }
    }
    assertThat(snippets.stream().map(DocSnippet::doc).distinct()).as("docs with Java snippets")
        .contains("README.md", "docs/testing.md", "docs/declaring-tasks.md");
    return snippets.stream().map(s -> DynamicTest.dynamicTest(s.where(), () -> check(s, named)));
  }

  @AfterAll
  static void writeUpdatedMessages() throws IOException {
    if (UPDATE) {
      DocUpdates.apply();
    }
  }

  static List<DocSnippet> allSnippets() {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs.stream().flatMap(d -> DocSnippet.parse(ROOT, d).stream()).collect(Collectors.toList());
  }

  private static void check(DocSnippet s, Map<String, DocSnippet> named) throws Exception {
    if (s.marker("fragment") != null) {
      assertThat(s.marker("fragment")).as("%s: a fragment says why it is not compiled", s.where()).isNotBlank();
      return;
    }
    List<SnippetSource.Used> used = new ArrayList<>();
    if (s.marker("uses") != null) {
      for (String entry : s.marker("uses").split("\\s*,\\s*")) {
        Matcher m = USES.matcher(entry);
        if (!m.matches() || !named.containsKey(m.group(1))) {
          fail("%s: uses %s, but no snippet has <!-- name: %s -->", s.where(), entry, entry);
        }
        List<String> types = m.group(2) == null ? List.of() : List.of(m.group(2).strip().split("\\s+"));
        used.add(new SnippetSource.Used(named.get(m.group(1)), types));
      }
    }
    String pkg = PACKAGE;
    Path work = workDir(s);
    deleteRecursively(work);
    List<SnippetSource.Unit> units = SnippetSource.units(s, pkg, used);
    SnippetCompiler.Result result = SnippetCompiler.compile(units, pkg, work);
    String run = s.marker("run");
    String following = s.following();
    boolean expectsDiagnostics = run == null && following != null
        && (following.startsWith("error: ") || following.startsWith("warning: "));
    String actual = result.messages().stream().map(m -> m + "\n").collect(Collectors.joining());
    if (expectsDiagnostics || (UPDATE && run == null && !actual.isEmpty())) {
      if (UPDATE) {
        DocUpdates.record(ROOT.resolve(s.doc()), s, actual);
        return;
      }
      assertThat(actual).as("%s: the messages the doc shows after the snippet (sources in %s)", s.where(), work)
          .isEqualTo(following);
      return;
    }
    if (!result.messages().isEmpty() || !result.success()) {
      fail("%s: the snippet does not compile cleanly (sources in %s):%n%s", s.where(), work,
          String.join("\n", result.located()));
    }
    if (run == null) {
      return;
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {result.classes().toUri().toURL()},
        DocSnippetsTest.class.getClassLoader())) {
      switch (run) {
        case "main" -> runMain(s, pkg, loader);
        case "junit" -> runJunit(s, pkg, units, loader);
        default -> fail("%s: unknown <!-- run: %s -->; write run: main or run: junit", s.where(), run);
      }
    }
  }

  private static void runMain(DocSnippet s, String pkg, ClassLoader loader) {
    if (s.following() == null) {
      fail("%s: a <!-- run: main --> snippet is followed by a ```text block with what it prints", s.where());
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Assertions.assertTimeoutPreemptively(RUN_LIMIT, () -> {
        try {
          loader.loadClass(pkg + "." + SnippetSource.SNIPPET_CLASS).getMethod("main", String[].class)
              .invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }, s.where() + ": the snippet did not finish");
    } finally {
      System.setOut(original);
    }
    String out = printed.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertThat(matches(s.following(), out)).as("%s: printed%n%s%nbut the doc shows%n%s", s.where(), out, s.following())
        .isTrue();
  }

  /** Whether {@code actual} is {@code expected}, where an ellipsis in {@code expected} stands for any text within a line. */
  static boolean matches(String expected, String actual) {
    String[] parts = expected.strip().split("…", -1);
    String regex = Stream.of(parts).map(Pattern::quote).collect(Collectors.joining("[^\\n]*"));
    return Pattern.compile(regex).matcher(actual.strip()).matches();
  }

  private static void runJunit(DocSnippet s, String pkg, List<SnippetSource.Unit> units, ClassLoader loader)
      throws ClassNotFoundException {
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (SnippetSource.Unit unit : units) {
      if (unit.own()) {
        request.selectors(selectClass(loader.loadClass(pkg + "." + unit.typeName())));
      }
    }
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(loader);
    try {
      launcher.execute(request.build(), listener);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
    TestExecutionSummary summary = listener.getSummary();
    StringWriter failures = new StringWriter();
    summary.printFailuresTo(new PrintWriter(failures), 20);
    assertThat(summary.getTestsFoundCount()).as("%s: tests in the snippet", s.where()).isPositive();
    assertThat(summary.getTotalFailureCount()).as("%s: failed tests:%n%s", s.where(), failures).isZero();
    assertThat(summary.getTestsSucceededCount()).as("%s: passed tests", s.where())
        .isEqualTo(summary.getTestsFoundCount());
  }

  /** {@code docs/testing/l27}: a directory per snippet, so that snippets may declare the same names. */
  static Path workDir(DocSnippet s) {
    String doc = s.doc().replaceFirst("^docs/", "").replaceFirst("\\.md$", "").toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_");
    return WORK.resolve(doc).resolve("l" + s.line());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
