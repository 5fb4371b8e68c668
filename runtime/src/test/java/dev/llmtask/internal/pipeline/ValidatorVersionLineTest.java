package dev.llmtask.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmtask.codegen.OutputDecoder;
import dev.llmtask.codegen.Violations;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hibernate Validator in a fresh child JVM, with jboss-logging on {@code java.util.logging} as in an
 * application without Logback: its {@code HV000001} version line is not printed, its messages are
 * English, and it never starts for answers whose constraints the processor wrote as code.
 */
class ValidatorVersionLineTest {
  record Named(@NotBlank String name) {}

  /**
   * The child JVM: checks one answer and prints the verdict; Hibernate Validator boots for it, unless
   * the argument is {@code generated}: then the answer's constraints are code, as the processor writes them.
   */
  public static void main(String[] args) {
    OutputDecoder<Named> decoder = args.length > 0 && args[0].equals("generated")
        ? OutputDecoder.of(Named.class, (value, prefix, out) -> out.notBlank(prefix, "name", Violations.COMPONENT, value.name()))
        : OutputDecoder.of(Named.class);
    OutputValidator validator = new OutputValidator();
    validator.needs(decoder);
    validator.prepare(decoder);
    OutputValidator.Verdict<Named> verdict = validator.check("{\"name\":\"\"}", decoder, List.of());
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

  @Test
  void messagesAreEnglishWhateverTheJvmsLocale() throws Exception {
    // the same words as the constraints the processor writes as code, and stable telemetry reasons
    assertThat(runChild("-Duser.language=de", "-Duser.country=DE")).contains("violations=[name: must not be blank]");
  }

  @Test
  void answersWhoseConstraintsAreCodeNeverStartHibernateValidatorNorJavaUtilLogging() throws Exception {
    String output = runChildWith(List.of("-Xlog:class+load=info:stdout"), "generated");
    assertThat(output).contains("violations=[name: must not be blank]");
    assertThat(output).contains("dev.llmtask.codegen.Violations").doesNotContain("org.hibernate.validator")
        .doesNotContain("jakarta.validation.Validation ").doesNotContain("java.util.logging.LogManager ");
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
    return runChildWith(List.of(jvmOptions));
  }

  private static String runChildWith(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dorg.jboss.logging.provider=jdk");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ValidatorVersionLineTest.class.getName()));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] bytes = child.getInputStream().readAllBytes();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(bytes, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(output).isZero();
    return output;
  }
}
