package dev.llmtask.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** The index of generated clients: one entry per interface naming its implementation, none for a failed one. */
class ClientIndexTest {
  @Test
  void eachGeneratedClientHasAnEntryNamingItsImplementation() {
    Compilation c = Compiler.javac().withProcessors(new LlmTaskProcessor()).compile(Sources.decision(),
        Sources.rotationDecision(), Sources.rotationDesk(), Sources.outerInner());
    assertThat(c).succeeded();
    assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/llmtask/clients/com.example.RotationDesk")
        .contentsAsUtf8String().isEqualTo("com.example.RotationDesk_LlmTask\ndecide_rotation\n");
    assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/llmtask/clients/com.example.Outer$Inner")
        .contentsAsUtf8String().isEqualTo("com.example.Outer_Inner_LlmTask\nask\n");
  }

  @Test
  void anInterfaceWithACompileErrorGetsNoEntry() {
    RecordingProcessor processor = new RecordingProcessor();
    Compilation c = Compiler.javac().withProcessors(processor).compile(Sources.decision(),
        Sources.rotationDecision(), Sources.rotationDesk(), Sources.source("com.example.Bad", """
        package com.example;

        import dev.llmtask.LlmTask;
        import dev.llmtask.UserPrompt;

        @LlmTask(promptVersion = "bad@1")
        public interface Bad {
          @UserPrompt("{{missing}}")
          String ask(String q);
        }
        """));
    assertThat(c).failed();
    org.assertj.core.api.Assertions.assertThat(processor.createdResources.keySet())
        .containsExactly("META-INF/llmtask/clients/com.example.RotationDesk");
  }
}
