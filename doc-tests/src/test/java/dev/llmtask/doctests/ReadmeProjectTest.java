package dev.llmtask.doctests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmtask.testkit.LlmSimulator;
import dev.llmtask.testkit.SimulatedReply;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first build: a project made of the README's "Use it in your project" XML (taken
 * from README.md itself) and the README's first example, built with the machine's {@code mvn} (as
 * installed, no extensions, default plugin versions for everything the README does not pin). Its
 * {@code RotationDesk_LlmTask} must be generated, and its task must run against the simulator.
 *
 * <p>Without touching the shared local repository: Maven gets a temporary local repository holding
 * this build's llmtask jars and poms, and reads everything else from {@code file://~/.m2/repository}
 * first (offline when that holds it all), then from Maven Central. Skipped, saying so, only when
 * {@code mvn} is not on the path.
 */
class ReadmeProjectTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("llmtask.version", "0.1.0-SNAPSHOT");
  private static final Pattern SECTION = Pattern.compile("## Use it in your project\\n(.*?)\\n## ", Pattern.DOTALL);
  private static final Pattern XML = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
  private static final long BUILD_LIMIT_SECONDS = 300;

  @Test
  void everyCompilerPluginInTheDocsIsPinnedToTheBuildsOwnVersion() throws IOException {
    String pinned = System.getProperty("llmtask.compilerPluginVersion");
    assertThat(pinned).as("the build passes maven-compiler-plugin.version").isNotBlank();
    Pattern plugin = Pattern.compile("<artifactId>maven-compiler-plugin</artifactId>\\s*(<version>([^<]*)</version>)?");
    int plugins = 0;
    for (Path doc : docs()) {
      Matcher m = plugin.matcher(Files.readString(doc, StandardCharsets.UTF_8));
      while (m.find()) {
        plugins++;
        assertThat(m.group(2)).as("%s: the maven-compiler-plugin version (Maven 3.8 defaults to 3.1, which ignores"
            + " annotationProcessorPaths)", ROOT.relativize(doc)).isEqualTo(pinned);
      }
    }
    assertThat(plugins).isPositive();
  }

  @Test
  void aProjectMadeFromTheReadmeGeneratesItsTaskAndRunsIt(@TempDir Path tmp) throws Exception {
    String mvn = onPath(System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn");
    assumeTrue(mvn != null, "mvn is not on the PATH: cannot build a project made from the README");

    Path project = Files.createDirectories(tmp.resolve("project"));
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    Files.writeString(project.resolve("pom.xml"), pom(readme), StandardCharsets.UTF_8);
    Path sources = Files.createDirectories(project.resolve("src/main/java/com/example"));
    DocSnippet example = DocSnippet.parse(ROOT, ROOT.resolve("README.md")).get(0);
    for (SnippetSource.Unit unit : SnippetSource.units(example, "com.example", List.of())) {
      if (!unit.typeName().equals(SnippetSource.SNIPPET_CLASS)) {
        Files.writeString(sources.resolve(unit.typeName() + ".java"), unit.source(), StandardCharsets.UTF_8);
      }
    }
    Files.writeString(sources.resolve("App.java"), APP, StandardCharsets.UTF_8);

    Path repo = seedRepository(tmp.resolve("repo"));
    Path settings = tmp.resolve("settings.xml");
    Files.writeString(settings, """
        <settings>
          <profiles>
            <profile>
              <id>cache-first</id>
              <repositories><repository><id>local-cache</id><url>%1$s</url></repository></repositories>
              <pluginRepositories><pluginRepository><id>local-cache</id><url>%1$s</url></pluginRepository></pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles><activeProfile>cache-first</activeProfile></activeProfiles>
        </settings>
        """.formatted(Path.of(System.getProperty("user.home"), ".m2", "repository").toUri()), StandardCharsets.UTF_8);

    Path log = tmp.resolve("mvn.log");
    Process build = new ProcessBuilder(mvn, "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + repo, "compile")
        .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = build.waitFor(BUILD_LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      build.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("mvn compile finished within %d s:%n%s", BUILD_LIMIT_SECONDS, output).isTrue();
    assertThat(build.exitValue()).as("mvn compile of the README project:%n%s", output).isZero();

    Path classes = project.resolve("target/classes");
    assertThat(classes.resolve("com/example/RotationDesk_LlmTask.class"))
        .as("the processor ran: the README's plugin configuration generates RotationDesk_LlmTask%n%s", output)
        .exists();

    try (LlmSimulator sim = LlmSimulator.start();
         URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      sim.enqueue("decide_rotation", SimulatedReply.json(
          "{\"decision\":\"eligible\",\"rotation_window_days\":30,\"source_line_ids\":[\"P-7\"]}"));
      Method decide = loader.loadClass("com.example.App").getMethod("decide", URI.class);
      Object decision = decide.invoke(null, sim.openAiBaseUrl());
      assertThat(decision.getClass().getName()).isEqualTo("com.example.RotationDecision");
      assertThat(decision).hasToString("RotationDecision[decision=ELIGIBLE, rotationWindowDays=30, sourceLineIds=[P-7]]");
      assertThat(sim.requests("decide_rotation")).hasSize(1);
    }
  }

  /** Runs the README's task; the user project's only code besides the README's example. */
  private static final String APP = """
      package com.example;

      import dev.llmtask.LlmRuntime;
      import dev.llmtask.LlmTasks;
      import dev.llmtask.provider.openai.OpenAiProvider;
      import java.net.URI;

      public final class App {
        public static RotationDecision decide(URI baseUrl) {
          LlmRuntime runtime = LlmRuntime.builder()
              .provider(OpenAiProvider.builder().baseUrl(baseUrl).apiKey("sk-test").build())
              .build();
          return LlmTasks.create(RotationDesk.class, runtime).decideRotation(
              "Can I rotate the stale service-account key?",
              "P-7: Stale service-account keys must rotate within a 30-day window.", "trace_readme_1");
        }
      }
      """;

  /** A pom holding exactly the elements the README's section shows. */
  static String pom(String readme) {
    Matcher section = SECTION.matcher(readme);
    assertThat(section.find()).as("README.md has a section '## Use it in your project'").isTrue();
    Matcher xml = XML.matcher(section.group(1));
    assertThat(xml.find()).as("the section has an ```xml block").isTrue();
    String snippet = xml.group(1);
    String properties = elements(snippet, "properties");
    String dependencies = elements(snippet, "dependency");
    String plugins = elements(snippet, "plugin");
    assertThat(dependencies).as("the README's <dependency>").isNotEmpty();
    assertThat(plugins).as("the README's <plugin>").isNotEmpty();
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>readme-project</artifactId>
          <version>1.0</version>
          %s
          <dependencies>
            %s
          </dependencies>
          <build>
            <plugins>
              %s
            </plugins>
          </build>
        </project>
        """.formatted(properties, dependencies, plugins);
  }

  private static String elements(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">.*?</" + name + ">", Pattern.DOTALL).matcher(xml);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group());
    }
    return String.join("\n", found);
  }

  /** A local repository with this build's parent pom, runtime and processor (jars made from classes if not packaged). */
  private static Path seedRepository(Path repo) throws IOException {
    Path parent = Files.createDirectories(repo.resolve("dev/llmtask/llmtask-parent/" + VERSION));
    Files.copy(ROOT.resolve("pom.xml"), parent.resolve("llmtask-parent-" + VERSION + ".pom"));
    for (String module : List.of("runtime", "processor")) {
      String artifact = "llmtask-" + module;
      Path dir = Files.createDirectories(repo.resolve("dev/llmtask/" + artifact + "/" + VERSION));
      Files.copy(ROOT.resolve(module).resolve("pom.xml"), dir.resolve(artifact + "-" + VERSION + ".pom"));
      Path jar = ROOT.resolve(module).resolve("target").resolve(artifact + "-" + VERSION + ".jar");
      Path target = dir.resolve(artifact + "-" + VERSION + ".jar");
      if (Files.exists(jar)) {
        Files.copy(jar, target);
      } else {
        jar(ROOT.resolve(module).resolve("target/classes"), target);
      }
    }
    return repo;
  }

  private static void jar(Path classes, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
         Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
        zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  private static String onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
