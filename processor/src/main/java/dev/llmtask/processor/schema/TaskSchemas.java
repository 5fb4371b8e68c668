package dev.llmtask.processor.schema;

import dev.llmtask.processor.model.OutputModel;
import java.util.Map;
import javax.lang.model.element.Element;

/**
 * The JSON Schemas of one task's answer, built once after its types passed their checks: the OpenAI
 * tree is what {@link SchemaLimits} counts, and the texts are what the writer emits.
 *
 * @param openAiTree the OpenAI strict schema as nested maps and lists
 * @param anthropicTree the Anthropic {@code input_schema} as nested maps and lists
 * @param openAiSources the record component behind each property node of {@code openAiTree} (by identity),
 *     for the components compiled from source in this compilation
 */
public record TaskSchemas(OutputModel output, Map<String, Object> openAiTree, Map<String, Object> anthropicTree,
    Map<Object, Element> openAiSources) {

  public static TaskSchemas of(OutputModel output) {
    SchemaBuilder.Built openAi = SchemaBuilder.built(output, Dialect.OPENAI);
    return new TaskSchemas(output, openAi.tree(), SchemaBuilder.tree(output, Dialect.ANTHROPIC), openAi.sources());
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
