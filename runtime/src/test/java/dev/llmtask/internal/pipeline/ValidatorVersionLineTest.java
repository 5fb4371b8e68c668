package dev.llmtask.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.codegen.OutputDecoder;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hibernate Validator's {@code HV000001} version line appears once per JVM, when it boots: the
 * check runs in a fresh child JVM, with jboss-logging on {@code java.util.logging} as in an
 * application without Logback.
 */
class ValidatorVersionLineTest {
  record Named(@NotBlank String name) {}

  /** The child JVM: boots the validator through one check and prints the verdict. */
  public static void main(String[] args) {
    OutputValidator.Verdict<Named> verdict = new OutputValidator().check("{\"name\":\"\"}", OutputDecoder.of(Named.class), List.of());
    System.out.println("violations=" + verdict.violations());
  }

  @Test
  void bootingTheValidatorPrintsNoVersionLine() throws Exception {
    String output = runChild();
    assertThat(output).contains("violations=[name: must not be blank]"); // the validator did boot
    assertThat(output).doesNotContain("HV000001");
  }

  @Test
  void aLevelTheUserConfiguredIsKept() throws Exception {
    String output = runChild("-Djava.util.logging.config.file=" + loggingAtInfo());
    assertThat(output).contains("violations=[name: must not be blank]");
    assertThat(output).contains("HV000001");
  }

  private static Path loggingAtInfo() throws IOException {
    Path file = java.nio.file.Files.createTempFile("logging", ".properties");
    file.toFile().deleteOnExit();
    java.nio.file.Files.writeString(file, """
        handlers=java.util.logging.ConsoleHandler
        org.hibernate.validator.internal.util.Version.level=INFO
        """);
    return file;
  }

  private static String runChild(String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dorg.jboss.logging.provider=jdk");
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ValidatorVersionLineTest.class.getName()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] bytes = child.getInputStream().readAllBytes();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(bytes, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(output).isZero();
    return output;
  }
}
