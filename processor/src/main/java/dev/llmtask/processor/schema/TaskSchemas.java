package dev.llmtask.processor.schema;

import dev.llmtask.processor.model.OutputModel;
import java.util.Map;

/**
 * The JSON Schemas of one task's answer, built once after its types passed their checks: the OpenAI
 * tree is what {@link SchemaLimits} counts, and the texts are what the writer emits.
 *
 * @param openAiTree the OpenAI strict schema as nested maps and lists
 * @param anthropicTree the Anthropic {@code input_schema} as nested maps and lists
 */
public record TaskSchemas(OutputModel output, Map<String, Object> openAiTree, Map<String, Object> anthropicTree) {

  public static TaskSchemas of(OutputModel output) {
    return new TaskSchemas(output, SchemaBuilder.tree(output, Dialect.OPENAI), SchemaBuilder.tree(output, Dialect.ANTHROPIC));
  }

  /** Whether both dialects have the same schema, so one text serves both. */
  public boolean sameForBothDialects() {
    return openAiTree.equals(anthropicTree);
  }

  /** The schema of {@code dialect}, indented for reading (the runtime sends it compact). */
  public String pretty(Dialect dialect) {
    return Json.writePretty(dialect == Dialect.OPENAI ? openAiTree : anthropicTree);
  }
}
