package dev.llmtask.benchmarks.processorscale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes N independent task interfaces, each with its own result record (Bean Validation constraints,
 * a JSON name, an enum-free list), a {@code @Check} rule and a {@code @TraceId} parameter: the shape of
 * the examples' rotation task, repeated.
 */
final class TaskSources {
  static final String PACKAGE = "bench.scale";

  private TaskSources() {}

  /** Writes {@code count} tasks (two files each) below {@code root}; returns the files. */
  static List<Path> write(Path root, int count) throws IOException {
    Path dir = Files.createDirectories(root.resolve(PACKAGE.replace('.', '/')));
    List<Path> files = new ArrayList<>(2 * count);
    for (int i = 1; i <= count; i++) {
      String n = String.format("%04d", i);
      files.add(Files.writeString(dir.resolve("Answer" + n + ".java"), record(n)));
      files.add(Files.writeString(dir.resolve("Desk" + n + ".java"), desk(n)));
    }
    return files;
  }

  private static String record(String n) {
    return """
        package %1$s;

        import com.fasterxml.jackson.annotation.JsonProperty;
        import jakarta.validation.constraints.Max;
        import jakarta.validation.constraints.Min;
        import jakarta.validation.constraints.NotBlank;
        import jakarta.validation.constraints.NotEmpty;
        import java.util.List;

        public record Answer%2$s(
            @NotBlank String decision,
            @JsonProperty("window_days") @Min(0) @Max(365) int windowDays,
            @JsonProperty("source_line_ids") @NotEmpty List<@NotBlank String> sourceLineIds) {}
        """.formatted(PACKAGE, n);
  }

  private static String desk(String n) {
    return """
        package %1$s;

        import dev.llmtask.Check;
        import dev.llmtask.LlmTask;
        import dev.llmtask.SystemPrompt;
        import dev.llmtask.TraceId;
        import dev.llmtask.UserPrompt;
        import java.util.ArrayList;
        import java.util.List;

        @LlmTask(promptVersion = "task_%2$s@1", model = "gpt-4o-mini", timeout = "20s", maxRetries = 2)
        public interface Desk%2$s {
          @SystemPrompt("Answer only from the policy below.\\n{{policy}}")
          @UserPrompt("Account {{accountId}}: {{question}}")
          Answer%2$s decide%2$s(String question, String accountId, String policy, @TraceId String traceId);

          @Check
          default List<String> citesPolicy%2$s(Answer%2$s answer, String policy) {
            List<String> violations = new ArrayList<>();
            for (String id : answer.sourceLineIds()) {
              if (!policy.contains(id + ":")) {
                violations.add("source_line_ids cites " + id + ", which the policy does not have");
              }
            }
            return violations;
          }
        }
        """.formatted(PACKAGE, n);
  }
}
