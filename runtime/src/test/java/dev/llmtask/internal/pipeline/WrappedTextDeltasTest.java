package dev.llmtask.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrappedTextDeltasTest {
  @Test
  void wrappedTextDeltasUnescapeAcrossPieceBoundaries() {
    WrappedTextDeltas d = new WrappedTextDeltas("value");
    String json = "{\"value\":\"Line 1\\nQuote \\\"x\\\" \\u00e9 \\ud83d\\ude00 end\"}";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < json.length(); i += 3) {
      out.append(d.feed(json.substring(i, Math.min(json.length(), i + 3))));
    }
    assertThat(out.toString()).isEqualTo("Line 1\nQuote \"x\" é 😀 end");
  }
}
