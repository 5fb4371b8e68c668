package dev.llmtask.doctests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IDEs show sources and Javadoc from the {@code -sources} and {@code -javadoc} jars published beside
 * each library jar: once a module is packaged, both sit next to its jar and hold its public types.
 * Under {@code mvn test} alone nothing is packaged and the check does not apply.
 */
class IdeJarsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("llmtask.version");

  @ParameterizedTest
  @CsvSource({
      "runtime, llmtask-runtime, dev/llmtask/LlmRuntime",
      "processor, llmtask-processor, dev/llmtask/processor/LlmTaskProcessor",
      "testkit, llmtask-testkit, dev/llmtask/testkit/LlmSimulator",
      "httpclient5, llmtask-httpclient5, dev/llmtask/httpclient5/ApacheAsyncTransport",
      "micrometer, llmtask-micrometer, dev/llmtask/micrometer/LlmTaskMetrics",
      "opentelemetry, llmtask-opentelemetry, dev/llmtask/opentelemetry/LlmTaskTracing",
      "spring-boot-starter, llmtask-spring-boot-starter, dev/llmtask/spring/boot/LlmTaskAutoConfiguration",
      "cdi, llmtask-cdi, dev/llmtask/cdi/LlmTaskExtension"})
  void aPackagedModuleHasSourcesAndJavadocJars(String module, String artifact, String type) throws IOException {
    Path target = ROOT.resolve(module).resolve("target");
    Path jar = target.resolve(artifact + "-" + VERSION + ".jar");
    assumeTrue(Files.isRegularFile(jar), () -> module + " is not packaged in this build");
    assertThat(entries(target.resolve(artifact + "-" + VERSION + "-sources.jar"))).contains(type + ".java");
    // a named module's pages sit under a folder named after the module
    assertThat(entries(target.resolve(artifact + "-" + VERSION + "-javadoc.jar")))
        .anyMatch(name -> name.equals(type + ".html") || name.endsWith("/" + type + ".html"));
  }

  private static List<String> entries(Path jar) throws IOException {
    assertThat(jar).as("built next to the library jar").isRegularFile();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> names = new ArrayList<>();
      for (ZipEntry e : Collections.list(zip.entries())) {
        names.add(e.getName());
      }
      return names;
    }
  }
}
