package dev.llmtask.codegen;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskRunnersTest {
  @Test
  void onlyTheRuntimeInstallsTheAccessor() {
    // loading TaskRunners initializes LlmRuntime first, which installs its accessor
    assertThatThrownBy(() -> TaskRunners.install(runtime -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("LlmRuntime alone");
  }
}
