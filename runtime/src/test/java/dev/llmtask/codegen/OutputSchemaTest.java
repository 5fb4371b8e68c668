package dev.llmtask.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputSchemaTest {
  @Test
  void indentedSchemasAreSentCompactWithWhitespaceInsideStringsKept() {
    String pretty = """
        {
          "type": "object",
          "description": "a \\"quoted\\" text, with  two spaces\\n",
          "required": ["a", "b"]
        }""";
    OutputSchema schema = new OutputSchema("task", pretty, pretty);
    assertThat(schema.openAi()).isEqualTo(
        "{\"type\":\"object\",\"description\":\"a \\\"quoted\\\" text, with  two spaces\\n\",\"required\":[\"a\",\"b\"]}");
    assertThat(schema.anthropic()).isSameAs(schema.openAi());
  }

  @Test
  void compactSchemasStayAsTheyAre() {
    String compact = "{\"type\":\"object\"}";
    assertThat(new OutputSchema("task", compact, "{ \"type\": \"string\" }").openAi()).isSameAs(compact);
    assertThat(new OutputSchema("task", compact, "{ \"type\": \"string\" }").anthropic()).isEqualTo("{\"type\":\"string\"}");
  }
}
