package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Generated sources compared, whole, with the golden files in {@code src/test/resources/golden/}: the
 * rotation desk, a ticket extraction ({@code golden/input/TicketDesk.java}: nested and shared records,
 * Optional, List, Javadoc descriptions) and an interface with every return shape
 * ({@code golden/input/AllShapes.java}), compiled with jakarta.inject on the class path.
 *
 * <p>After an intended change to the generated code, regenerate the golden files and review the diff:
 * <pre>mvn -pl processor test -Dtest=GoldenFileTest -Dllmtask.updateGolden=true</pre>
 * (run from the repository root; the files are written under {@code processor/src/test/resources/golden/}).
 * Never edit a golden file by hand.
 */
class GoldenFileTest {
  private static final boolean UPDATE = Boolean.getBoolean("llmtask.updateGolden");
  private static final Path GOLDEN_DIR = Path.of("src", "test", "resources", "golden");
  private static final List<String> INPUTS = List.of("TicketDesk", "AllShapes");
  private static final List<String> GENERATED = List.of("RotationDesk_LlmTask", "TicketDesk_LlmTask", "AllShapes_LlmTask");

  @Test
  void generatedSourcesMatchTheGoldenFiles() throws IOException {
    List<JavaFileObject> sources = new ArrayList<>(List.of(Sources.decision(), Sources.rotationDecision(),
        Sources.rotationDesk()));
    for (String input : INPUTS) {
      sources.add(Sources.source("com.example." + input, resource("golden/input/" + input + ".java")));
    }
    Compilation c = Sources.compile(sources.toArray(JavaFileObject[]::new));
    assertThat(c).succeededWithoutWarnings();

    for (String name : GENERATED) {
      String actual = Sources.generated(c, "com.example." + name);
      if (UPDATE) {
        Files.writeString(GOLDEN_DIR.resolve(name + ".java"), actual, StandardCharsets.UTF_8);
      } else {
        assertThat(actual).as("generated %s (regenerate with -Dllmtask.updateGolden=true if intended)", name)
            .isEqualTo(resource("golden/" + name + ".java"));
      }
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenFileTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + name
            + "; generate it with mvn -pl processor test -Dtest=GoldenFileTest -Dllmtask.updateGolden=true");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
