package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The processor declares itself to Gradle as isolating, and keeps to what that promises: each generated
 * file has exactly one originating element, the task interface it implements, and so has each entry of
 * the index of generated clients (one resource per interface, never one file that merges them).
 */
class GradleIncrementalTest {
  private static String resource(String name) throws IOException {
    try (InputStream in = LlmTaskProcessor.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theDeclarationNamesTheRegisteredProcessorAsIsolating() throws IOException {
    String declaration = resource("META-INF/gradle/incremental.annotation.processors");
    assertThat(declaration).isEqualTo(LlmTaskProcessor.class.getName() + ",isolating\n");
    assertThat(resource("META-INF/services/javax.annotation.processing.Processor").lines())
        .contains(LlmTaskProcessor.class.getName());
  }

  @Test
  void eachGeneratedFileHasItsTaskInterfaceAsItsOnlyOriginatingElement() {
    RecordingProcessor processor = new RecordingProcessor();
    Compilation c = Compiler.javac().withProcessors(processor).compile(Sources.decision(),
        Sources.rotationDecision(), Sources.rotationDesk(), Sources.outerInner());
    assertThat(c).succeeded();
    assertThat(processor.originatingElements).isEqualTo(Map.of(
        "com.example.RotationDesk_LlmTask", List.of("INTERFACE com.example.RotationDesk"),
        "com.example.Outer_Inner_LlmTask", List.of("INTERFACE com.example.Outer.Inner")));
    assertThat(processor.createdResources).isEqualTo(Map.of(
        "META-INF/llmtask/clients/com.example.RotationDesk", List.of("INTERFACE com.example.RotationDesk"),
        "META-INF/llmtask/clients/com.example.Outer$Inner", List.of("INTERFACE com.example.Outer.Inner")));
  }
}
